/** The optimisers of the fitting engine (pure; shared by the sweep and curve laws). */
export { minimizeLbfgsb, project, projectedGradient, type LbfgsOptions } from './lbfgsb';
export { huber, huberDeriv, huberOrSquared, huberOrSquaredDeriv, huberSum, huberWeight, squared } from './huber';
export { multiStart, recordDistinct, type MultiStartResult, type MultiStartOptions } from './multistart';
export { cartesian, range } from './grid';
export { makeObjective, residual, lossValue, lossDeriv, finiteDiff } from './objective';
