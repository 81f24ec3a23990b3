{{/*
Names and labels. They mirror cdk8s/lib/labels.ts: the parity test compares the rendered objects
with the cdk8s ones, so a change here without the same change there fails the tests.
*/}}

{{/* Base of every object name: the release name, with the chart name unless it already contains it. */}}
{{- define "items-api.fullname" -}}
{{- if contains .Chart.Name .Release.Name -}}
{{- .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name .Chart.Name | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}

{{/*
The workloads of the chart: `app.kubernetes.io/name`, `component` and the object name suffix.
Usage: include "items-api.labels" (dict "ctx" $ "workload" "postgres")
*/}}
{{- define "items-api.workload" -}}
{{- $workloads := dict
  "api" (dict "name" .ctx.Chart.Name "component" "api" "suffix" "")
  "postgres" (dict "name" "postgres" "component" "database" "suffix" "-postgres")
  "postgresExporter" (dict "name" "postgres-exporter" "component" "database-metrics" "suffix" "-postgres-exporter")
  "monitoring" (dict "name" .ctx.Chart.Name "component" "monitoring" "suffix" "")
  "loadtest" (dict "name" "k6" "component" "load-test" "suffix" "-k6")
-}}
{{- $w := get $workloads .workload -}}
{{- if not $w -}}{{- fail (printf "unknown workload %q" .workload) -}}{{- end -}}
{{- toYaml $w -}}
{{- end -}}

{{/* Object name of a workload: fullname + suffix. */}}
{{- define "items-api.name" -}}
{{- $w := include "items-api.workload" . | fromYaml -}}
{{- printf "%s%s" (include "items-api.fullname" .ctx) $w.suffix | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{/* Labels pods are selected by; never change them on a running release (selectors are immutable). */}}
{{- define "items-api.selectorLabels" -}}
{{- $w := include "items-api.workload" . | fromYaml -}}
app.kubernetes.io/name: {{ $w.name }}
app.kubernetes.io/instance: {{ .ctx.Release.Name }}
{{- end -}}

{{/* Labels on pods: selector labels plus component, part-of, managed-by. */}}
{{- define "items-api.podLabels" -}}
{{- $w := include "items-api.workload" . | fromYaml -}}
{{ include "items-api.selectorLabels" . }}
app.kubernetes.io/component: {{ $w.component }}
app.kubernetes.io/part-of: {{ .ctx.Chart.Name }}
app.kubernetes.io/managed-by: {{ .ctx.Release.Service }}
{{- end -}}

{{/* Labels on objects: pod labels plus the chart version. */}}
{{- define "items-api.labels" -}}
{{ include "items-api.podLabels" . }}
helm.sh/chart: {{ printf "%s-%s" .ctx.Chart.Name .ctx.Chart.Version | replace "+" "_" }}
{{- end -}}

{{/* Image reference of an image block (repository, tag); `latest` is refused (kind-loaded images are never pulled). */}}
{{- define "items-api.image" -}}
{{- if eq (toString .tag) "latest" -}}
{{- fail (printf "image %s: pin a tag instead of latest (images are loaded into kind and never pulled)" .repository) -}}
{{- end -}}
{{- printf "%s:%s" .repository (toString .tag) -}}
{{- end -}}

{{/* The Secret holding the database username and password. */}}
{{- define "items-api.databaseSecret" -}}
{{- if .Values.database.existingSecret -}}
{{- .Values.database.existingSecret -}}
{{- else -}}
{{- include "items-api.name" (dict "ctx" . "workload" "postgres") -}}
{{- end -}}
{{- end -}}

{{/* The API as seen from inside the cluster (the k6 Job's target). */}}
{{- define "items-api.apiUrl" -}}
{{- printf "http://%s.%s.svc:%v" (include "items-api.name" (dict "ctx" . "workload" "api")) .Release.Namespace .Values.ports.api -}}
{{- end -}}

{{/* Security context of every container (Pod Security Standard "restricted"). */}}
{{- define "items-api.containerSecurityContext" -}}
allowPrivilegeEscalation: false
readOnlyRootFilesystem: true
runAsNonRoot: true
capabilities:
  drop:
    - ALL
seccompProfile:
  type: RuntimeDefault
{{- end -}}

{{/* Pod security context for a uid/gid (dict "uid" 1000 "fsGroup" true). */}}
{{- define "items-api.podSecurityContext" -}}
runAsNonRoot: true
runAsUser: {{ .uid }}
runAsGroup: {{ .uid }}
{{- if .fsGroup }}
fsGroup: {{ .uid }}
fsGroupChangePolicy: OnRootMismatch
{{- end }}
seccompProfile:
  type: RuntimeDefault
{{- end -}}

{{/*
Label keys and values generated from TypeScript (files/labels.yaml, `make generate`).
Usage: (include "items-api.generatedLabels" . | fromYaml).jobLabel
*/}}
{{- define "items-api.generatedLabels" -}}
{{- $labels := .Files.Get "files/labels.yaml" | fromYaml -}}
{{- if not $labels.jobLabel -}}{{- fail "files/labels.yaml is missing or has no jobLabel: run `make generate`" -}}{{- end -}}
{{- toYaml $labels -}}
{{- end -}}

{{/*
A ServiceMonitor scraping a workload's Service by its `metrics` port. `job` is the value of the
Service label named by jobLabel (app.kubernetes.io/name, the chart name for items-api), never the
Service name: that one carries the release name, and the rules and dashboards select
job="items-api" whatever the release.
*/}}
{{- define "items-api.serviceMonitor" -}}
apiVersion: monitoring.coreos.com/v1
kind: ServiceMonitor
metadata:
  name: {{ include "items-api.name" . }}
  namespace: {{ .ctx.Release.Namespace }}
  labels:
    {{- include "items-api.labels" . | nindent 4 }}
    {{- with .ctx.Values.serviceMonitor.labels }}
    {{- toYaml . | nindent 4 }}
    {{- end }}
spec:
  jobLabel: {{ (include "items-api.generatedLabels" .ctx | fromYaml).jobLabel }}
  selector:
    matchLabels:
      {{- include "items-api.selectorLabels" . | nindent 6 }}
  namespaceSelector:
    matchNames:
      - {{ .ctx.Release.Namespace }}
  endpoints:
    - port: metrics
      path: {{ .ctx.Values.serviceMonitor.path }}
      interval: {{ .ctx.Values.serviceMonitor.interval }}
      scrapeTimeout: {{ .ctx.Values.serviceMonitor.scrapeTimeout }}
{{- end -}}

{{/* Database env of items-api and its init container (dict "secret" "host" "port" "name"). */}}
{{- define "items-api.databaseEnv" -}}
# DATABASE_URL is assembled by Kubernetes from the Secret ($(VAR) expansion): no credential in the spec.
- name: DATABASE_USER
  valueFrom:
    secretKeyRef:
      name: {{ .secret }}
      key: username
- name: DATABASE_PASSWORD
  valueFrom:
    secretKeyRef:
      name: {{ .secret }}
      key: password
- name: DATABASE_URL
  value: "postgres://$(DATABASE_USER):$(DATABASE_PASSWORD)@{{ .host }}:{{ .port }}/{{ .name }}"
{{- end -}}
