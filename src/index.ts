// nn-doctor library API. TF.js is a peer dependency: everything here works on the caller's
// @tensorflow/tfjs instance and active backend. In Node, `nn-doctor` is `nn-doctor/node` (the whole
// API, ./node.ts); a browser bundle resolves `nn-doctor` to the browser-safe part (./browser.ts,
// package.json's "browser" condition). docs/library.md has a runnable example for each entry point.

export * from './node.ts';
