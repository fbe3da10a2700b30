import { defineNodeConformance } from '../../../test/conformance/node-suite';
import { useNodeBackend } from '../src/index';

defineNodeConformance('cpu (Node)', () => useNodeBackend({ force: 'cpu', silent: true }));
