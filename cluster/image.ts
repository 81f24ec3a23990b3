/** The items-api image, built locally and loaded into the kind nodes (never pulled: IfNotPresent). */
import { IMAGES } from '../project/constants.js';
import type { Run } from './commands.js';

export const DOCKERFILE = 'service/Dockerfile';

export async function buildAndLoadImage(run: Run, clusterName: string): Promise<void> {
  await run('docker', ['build', '-f', DOCKERFILE, '-t', IMAGES.api, '.']);
  await run('kind', ['load', 'docker-image', IMAGES.api, '--name', clusterName]);
}
