// The graph renderer's entry point: import { createGraphView } from './graph/index.js'.
export { createGraphView } from './view.js';
export { buildScene } from './scene.js';
