/**
 * Security contexts meeting the Pod Security Standard "restricted" (the `items` namespace
 * enforces it): non-root with a numeric uid, no privilege escalation, every capability dropped,
 * RuntimeDefault seccomp, read-only root filesystem (writable paths are emptyDir volumes).
 */
import type { k8s } from 'cdk8s-plus-28';

/** The user a pod runs as: numeric, so the kubelet can verify `runAsNonRoot` without the image. */
export interface RunAs {
  readonly uid: number;
  readonly gid: number;
  /** Group owning mounted volumes (PersistentVolumeClaims need it to be writable). @default none */
  readonly fsGroup?: number;
}

export function podSecurityContext(runAs: RunAs): k8s.PodSecurityContext {
  return {
    runAsNonRoot: true,
    runAsUser: runAs.uid,
    runAsGroup: runAs.gid,
    ...(runAs.fsGroup === undefined ? {} : { fsGroup: runAs.fsGroup, fsGroupChangePolicy: 'OnRootMismatch' }),
    seccompProfile: { type: 'RuntimeDefault' },
  };
}

export function containerSecurityContext(): k8s.SecurityContext {
  return {
    allowPrivilegeEscalation: false,
    readOnlyRootFilesystem: true,
    runAsNonRoot: true,
    capabilities: { drop: ['ALL'] },
    seccompProfile: { type: 'RuntimeDefault' },
  };
}
