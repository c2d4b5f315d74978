// A Stryker ignorer: leaves alone the mutants that only change the wording of a message.
//
// The library's error and warning texts say what went wrong and how to fix it; tests pin the parts a
// reader relies on (the reason code, the failing method, the key facts), not every word. A mutant
// that empties or rewrites such a sentence changes no behaviour, so it is not counted either way.
// What counts as message text, and nothing else:
// - a string or template literal with a space in it (a sentence, not a code such as 'invalid-result')
//   passed to `new SomethingError(...)`, `new Error(...)`, `new TypeError(...)` or a conformance
//   check's `new CheckFailure(...)`, or to a local `fail(reason, problem, hint)` that builds such an
//   error (PostgresStore's error classification);
// - the same as the `title` or `hint` of an object (a conformance check's wording);
// - the same passed to `#warnOnce(...)` or pushed onto a warning's `reasons`;
// - a literal inside such a template's `${...}` (a fragment of the sentence).
// Sentences that are returned as values (store-caller's recordProblem, whose emptiness decides
// whether an answer is accepted) are NOT ignored: emptying them changes behaviour.
import { PluginKind, declareValuePlugin } from '@stryker-mutator/api/plugin';

function isProse(node) {
  if (node.type === 'StringLiteral') return node.value.includes(' ');
  if (node.type === 'TemplateLiteral') return node.quasis.some((quasi) => (quasi.value.cooked ?? '').includes(' '));
  return false;
}

function isMessageCall(node) {
  if (node.type === 'NewExpression') return node.callee.type === 'Identifier' && /(Error|Failure)$/.test(node.callee.name);
  if (node.type === 'CallExpression' && node.callee.type === 'Identifier') return node.callee.name === 'fail';
  if (node.type !== 'CallExpression' || node.callee.type !== 'MemberExpression') return false;
  const { object, property } = node.callee;
  if (property.type === 'PrivateName' && property.id.name === 'warnOnce') return true;
  return object.type === 'Identifier' && object.name === 'reasons' && property.type === 'Identifier' && property.name === 'push';
}

/** The argument of a message call this literal is, directly (or as part of a `+` sentence). */
function isMessageArgument(path) {
  let current = path;
  while (current.parentPath?.node.type === 'BinaryExpression' && current.parentPath.node.operator === '+') current = current.parentPath;
  const parent = current.parentPath?.node;
  return parent !== undefined && isMessageCall(parent) && parent.arguments.includes(current.node);
}

/** The value of a `title:` or `hint:` property. */
function isTitleOrHint(path) {
  const parent = path.parentPath?.node;
  return parent?.type === 'ObjectProperty' && parent.value === path.node && parent.key.type === 'Identifier' && (parent.key.name === 'title' || parent.key.name === 'hint');
}

/** A literal inside the `${...}` of a template that is itself message text. */
function isFragmentOfMessage(path) {
  const template = path.findParent((parent) => parent.isTemplateLiteral() || parent.isStatement() || parent.isFunction());
  return template?.isTemplateLiteral() === true && isProse(template.node) && isMessageArgument(template);
}

export const strykerPlugins = [
  declareValuePlugin(PluginKind.Ignore, 'message-text', {
    shouldIgnore(path) {
      const { node } = path;
      if (node.type !== 'StringLiteral' && node.type !== 'TemplateLiteral') return undefined;
      if (isProse(node) && isMessageArgument(path)) return 'Only the wording of an error or warning message.';
      if (isProse(node) && isTitleOrHint(path)) return 'Only the wording of a title or hint.';
      if (node.type === 'StringLiteral' && isFragmentOfMessage(path)) return 'Only a fragment of an error or warning message.';
      return undefined;
    },
  }),
];
