// Prelude of a docs snippet about a store the reader writes: `MyStore` stands for it.
import { MemoryStore as PreludeStore } from 'sessionlab';
declare class MyStore extends PreludeStore {}
