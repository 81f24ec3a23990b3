/**
 * Where `make synth` writes: read by cdk8s/main.ts and by `make deploy` (cluster/), which applies
 * every manifest file of the folder. Kept apart from app.ts so the deploy step need not load cdk8s.
 */

/** The folder, relative to the repository root (git-ignored). */
export const SYNTH_OUTDIR = 'dist';
/** Extension of every manifest file, one per chart. */
export const MANIFEST_EXTENSION = '.k8s.yaml';
/** Subfolder for objects not applied with the stack (the k6 Job); `kubectl apply -f dist/` does not recurse into it. */
export const TEMPLATES_DIR = 'templates';
