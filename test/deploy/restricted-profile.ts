/**
 * The Kubernetes Pod Security Standards' "restricted" profile, as checks on a
 * pod spec: each returns what is wrong, so a test can show every failure at
 * once. Source: the profile's published control list (kubernetes.io, Pod
 * Security Standards): no host namespaces, no privileged containers, only the
 * NET_BIND_SERVICE capability added and ALL dropped, no privilege escalation,
 * non-root, seccomp RuntimeDefault or Localhost, restricted volume types.
 */
type Spec = Record<string, any>;

const ALLOWED_VOLUMES = new Set(['configMap', 'csi', 'downwardAPI', 'emptyDir', 'ephemeral', 'persistentVolumeClaim', 'projected', 'secret']);
const SECCOMP_TYPES = new Set(['RuntimeDefault', 'Localhost']);

export function restrictedViolations(pod: Spec): string[] {
  const problems: string[] = [];
  for (const field of ['hostNetwork', 'hostPID', 'hostIPC']) if (pod[field]) problems.push(`pod: ${field} is set`);
  for (const volume of pod.volumes ?? []) {
    const type = Object.keys(volume).find((key) => key !== 'name');
    if (!type || !ALLOWED_VOLUMES.has(type)) problems.push(`volume ${volume.name}: type ${type} is not allowed`);
  }
  const podContext = pod.securityContext ?? {};
  if (podContext.runAsUser === 0) problems.push('pod: runAsUser is 0');
  for (const container of [...(pod.initContainers ?? []), ...(pod.containers ?? [])]) {
    const context = container.securityContext ?? {};
    const name = `container ${container.name}`;
    if (context.privileged) problems.push(`${name}: privileged`);
    if (context.allowPrivilegeEscalation !== false) problems.push(`${name}: allowPrivilegeEscalation is not false`);
    if (!(context.capabilities?.drop ?? []).includes('ALL')) problems.push(`${name}: capabilities do not drop ALL`);
    for (const added of context.capabilities?.add ?? []) if (added !== 'NET_BIND_SERVICE') problems.push(`${name}: adds capability ${added}`);
    if ((context.runAsNonRoot ?? podContext.runAsNonRoot) !== true) problems.push(`${name}: runAsNonRoot is not true`);
    if (context.runAsUser === 0) problems.push(`${name}: runAsUser is 0`);
    const seccomp = (context.seccompProfile ?? podContext.seccompProfile)?.type;
    if (!SECCOMP_TYPES.has(seccomp)) problems.push(`${name}: seccompProfile is ${seccomp ?? 'unset'}, not RuntimeDefault or Localhost`);
  }
  return problems;
}
