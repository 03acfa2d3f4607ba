/**
 * Property tests run with a fixed seed so CI is reproducible; set FC_SEED to explore other
 * seeds (`FC_SEED=$RANDOM npm test`). A failure prints the seed and the shrunk counterexample.
 */
import fc from "fast-check";

const seed = process.env.FC_SEED === undefined ? 20261126 : Number(process.env.FC_SEED);
fc.configureGlobal({ seed });
