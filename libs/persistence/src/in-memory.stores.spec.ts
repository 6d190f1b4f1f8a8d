import { describeCheckpointStoreContract } from './checkpoint-store.contract';
import { InMemoryCheckpointStore } from './in-memory.checkpoint-store';
import { InMemoryRunRegistry } from './in-memory.run-registry';
import { describeRunRegistryContract } from './run-registry.contract';

const close = async () => undefined;

describeCheckpointStoreContract('in-memory', async () => ({
  store: new InMemoryCheckpointStore(),
  close,
}));

describeRunRegistryContract('in-memory', async () => ({
  registry: new InMemoryRunRegistry(),
  close,
}));
