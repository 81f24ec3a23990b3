/**
 * Storage for the simulated cluster. Nothing provisions volumes here (kind's local-path
 * provisioner is a pod, and no pod runs), so the PostgreSQL claims would stay Pending and their
 * pods unscheduled. Instead: a default StorageClass named like kind's (`standard`) with no
 * provisioner, and a few pre-created PersistentVolumes of that class for the claims to bind to.
 * kwok never mounts them; the hostPath is a name only.
 */
export const SIM_STORAGE_CLASS = 'standard';

/** Claims in the tier: Prometheus, the cdk8s PostgreSQL and two Helm releases' PostgreSQL; two spare. */
export const SIM_VOLUME_COUNT = 6;

export function storageManifests(count: number = SIM_VOLUME_COUNT, size = '10Gi') {
  const storageClass = {
    apiVersion: 'storage.k8s.io/v1',
    kind: 'StorageClass',
    metadata: { name: SIM_STORAGE_CLASS, annotations: { 'storageclass.kubernetes.io/is-default-class': 'true' } },
    provisioner: 'kubernetes.io/no-provisioner',
    volumeBindingMode: 'Immediate',
    reclaimPolicy: 'Retain',
  };
  const volumes = Array.from({ length: count }, (_, i) => ({
    apiVersion: 'v1',
    kind: 'PersistentVolume',
    metadata: { name: `sim-volume-${i + 1}`, labels: { 'app.kubernetes.io/managed-by': 'sim-up' } },
    spec: {
      storageClassName: SIM_STORAGE_CLASS,
      capacity: { storage: size },
      accessModes: ['ReadWriteOnce'],
      persistentVolumeReclaimPolicy: 'Retain',
      hostPath: { path: `/var/lib/items-api-sim/volume-${i + 1}` },
    },
  }));
  return [storageClass, ...volumes];
}
