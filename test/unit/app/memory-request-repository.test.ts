import { MemoryRequestRepository } from '../../../adapters/memory/memory-request-repository';
import { requestRepositoryContract } from '../../contracts/request-repository-contract';

const repository = new MemoryRequestRepository();
requestRepositoryContract('in memory', () => repository);
