{{/* The release's base name: every object is <release>-jixiao[-component]. */}}
{{- define "jixiao.name" -}}
{{- printf "%s-jixiao" .Release.Name | trunc 56 | trimSuffix "-" -}}
{{- end -}}

{{- define "jixiao.secret" -}}
{{- default (printf "%s-secrets" (include "jixiao.name" .)) .Values.existingSecret -}}
{{- end -}}

{{/* The migration Job's account: a hook created before it when the chart makes accounts (the
     release's own objects do not exist yet when a pre-install hook runs). */}}
{{- define "jixiao.migrateServiceAccount" -}}
{{- if .Values.serviceAccount.create -}}
{{- printf "%s-migrate" (include "jixiao.name" .) -}}
{{- else -}}
{{- include "jixiao.serviceAccount" . -}}
{{- end -}}
{{- end -}}

{{- define "jixiao.serviceAccount" -}}
{{- if .Values.serviceAccount.create -}}
{{- default (include "jixiao.name" .) .Values.serviceAccount.name -}}
{{- else -}}
{{- default "default" .Values.serviceAccount.name -}}
{{- end -}}
{{- end -}}

{{- define "jixiao.image" -}}
{{- printf "%s:%s" .Values.image.repository (default .Chart.AppVersion .Values.image.tag) -}}
{{- end -}}

{{/* The labels selecting one component's pods (call with (list $ "api")). */}}
{{- define "jixiao.selectorLabels" -}}
{{- $ := index . 0 -}}
app.kubernetes.io/name: jixiao
app.kubernetes.io/instance: {{ $.Release.Name }}
app.kubernetes.io/component: {{ index . 1 }}
{{- end -}}

{{/* The standard labels of every object (call with (list $ "component")). */}}
{{- define "jixiao.labels" -}}
{{- $ := index . 0 -}}
{{ include "jixiao.selectorLabels" . }}
app.kubernetes.io/version: {{ $.Chart.AppVersion | quote }}
app.kubernetes.io/part-of: jixiao
app.kubernetes.io/managed-by: {{ $.Release.Service }}
helm.sh/chart: {{ printf "%s-%s" $.Chart.Name $.Chart.Version }}
{{- with $.Values.commonLabels }}
{{ toYaml . }}
{{- end }}
{{- end -}}

{{/* The settings that are not secret, as JIXIAO_* variable -> text (a null value is left
     out: the code's default applies). Rendered into the ConfigMap and into the migration Job. */}}
{{- define "jixiao.configData" -}}
{{- $c := .Values.config -}}
{{- $out := dict "JIXIAO_PRODUCTION" (ternary "1" "0" $c.production) "JIXIAO_APP_ROLE" $c.appRole
      "JIXIAO_TRUSTED_PROXIES" (join "," $c.trustedProxies) -}}
{{- if not (kindIs "invalid" $c.introspection) -}}
{{- $_ := set $out "JIXIAO_INTROSPECTION" (ternary "1" "0" $c.introspection) -}}
{{- end -}}
{{- if not (kindIs "invalid" $c.compiledReads) -}}
{{- $_ := set $out "JIXIAO_COMPILED_READS" (ternary "1" "0" $c.compiledReads) -}}
{{- end -}}
{{- $ints := dict "JIXIAO_TOKEN_TTL_SECONDS" $c.tokenTtlSeconds
      "JIXIAO_MAX_QUERY_DEPTH" $c.maxQueryDepth "JIXIAO_MAX_ALIASES" $c.maxAliases
      "JIXIAO_MAX_TOKENS" $c.maxTokens "JIXIAO_MAX_BODY_BYTES" $c.maxBodyBytes
      "JIXIAO_LOGIN_MAX_FAILURES" $c.login.maxFailures
      "JIXIAO_LOGIN_ADDRESS_MAX_FAILURES" $c.login.addressMaxFailures
      "JIXIAO_LOGIN_BASE_DELAY_SECONDS" $c.login.baseDelaySeconds
      "JIXIAO_LOGIN_MAX_DELAY_SECONDS" $c.login.maxDelaySeconds
      "JIXIAO_LOGIN_FAILURE_WINDOW_SECONDS" $c.login.failureWindowSeconds
      "JIXIAO_WORKER_HEARTBEAT_TIMEOUT_MS" $c.jobs.heartbeatTimeoutMs
      "JIXIAO_WORKER_MAINTENANCE_CHANCE" $c.jobs.maintenanceChance
      "JIXIAO_BONUS_WRITE_CHUNK" $c.jobs.bonusWriteChunk
      "JIXIAO_REPORT_CHUNK_ROWS" $c.jobs.reportChunkRows
      "JIXIAO_REPORT_PROCESSES" $c.jobs.reportProcesses
      "JIXIAO_NOTIFY_MAX_RETRIES" $c.notifications.maxRetries
      "JIXIAO_NOTIFY_MIN_BACKOFF_MS" $c.notifications.minBackoffMs
      "JIXIAO_NOTIFY_MAX_BACKOFF_MS" $c.notifications.maxBackoffMs
      "JIXIAO_REMINDER_INTERVAL_SECONDS" $c.notifications.reminderIntervalSeconds -}}
{{- range $k, $v := $ints }}
{{- if not (kindIs "invalid" $v) }}{{ $_ := set $out $k (toString (int64 $v)) }}{{ end }}
{{- end }}
{{- $floats := dict "JIXIAO_JOB_SWEEP_INTERVAL_SECONDS" $c.jobs.sweepIntervalSeconds
      "JIXIAO_JOB_RESEND_AFTER_SECONDS" $c.jobs.resendAfterSeconds
      "JIXIAO_READ_MAX_WAIT_SECONDS" $c.readMaxWaitSeconds -}}
{{- range $k, $v := $floats }}
{{- if not (kindIs "invalid" $v) }}{{ $_ := set $out $k (toString $v) }}{{ end }}
{{- end }}
{{- if $c.otelEndpoint }}{{ $_ := set $out "JIXIAO_OTEL_ENDPOINT" $c.otelEndpoint }}{{ end }}
{{- range $k, $v := $c.extra }}{{ $_ := set $out $k (toString $v) }}{{ end }}
{{- toYaml $out -}}
{{- end -}}

{{/* Variables every container gets besides the ConfigMap: a writable HOME and caches under
     /tmp (the root filesystem is read-only). */}}
{{- define "jixiao.runtimeEnv" -}}
- {name: HOME, value: /tmp}
- {name: XDG_CACHE_HOME, value: /tmp/.cache}
- {name: PYTHONDONTWRITEBYTECODE, value: "1"}
{{- end -}}

{{/* The secret variables of the API and the worker. They never get the owner role: the
     owner URL they are given is the application's (production checks that it is set; only the
     migration Job uses it). */}}
{{- define "jixiao.secretEnv" -}}
{{- $s := include "jixiao.secret" . -}}
- name: JIXIAO_DATABASE_URL
  valueFrom: {secretKeyRef: {name: {{ $s }}, key: databaseUrl}}
- name: JIXIAO_OWNER_DATABASE_URL
  valueFrom: {secretKeyRef: {name: {{ $s }}, key: databaseUrl}}
- name: JIXIAO_READ_DATABASE_URL
  valueFrom: {secretKeyRef: {name: {{ $s }}, key: readDatabaseUrl, optional: true}}
- name: JIXIAO_REDIS_URL
  valueFrom: {secretKeyRef: {name: {{ $s }}, key: redisUrl}}
- name: JIXIAO_SECRET_KEY
  valueFrom: {secretKeyRef: {name: {{ $s }}, key: secretKey}}
{{- end -}}

{{- define "jixiao.podSecurityContext" -}}
runAsNonRoot: true
runAsUser: 10001
runAsGroup: 10001
fsGroup: 10001
seccompProfile: {type: RuntimeDefault}
{{- end -}}

{{- define "jixiao.containerSecurityContext" -}}
runAsNonRoot: true
runAsUser: 10001
runAsGroup: 10001
allowPrivilegeEscalation: false
readOnlyRootFilesystem: true
capabilities: {drop: [ALL]}
seccompProfile: {type: RuntimeDefault}
{{- end -}}

{{/* Pod fields common to every pod of the chart (call with (list $ serviceAccountName)). */}}
{{- define "jixiao.podCommon" -}}
{{- $sa := index . 1 -}}
{{- with index . 0 -}}
serviceAccountName: {{ $sa }}
automountServiceAccountToken: false
securityContext:
{{- include "jixiao.podSecurityContext" . | nindent 2 }}
{{- with .Values.imagePullSecrets }}
imagePullSecrets: {{- toYaml . | nindent 2 }}
{{- end }}
{{- with .Values.nodeSelector }}
nodeSelector: {{- toYaml . | nindent 2 }}
{{- end }}
{{- with .Values.tolerations }}
tolerations: {{- toYaml . | nindent 2 }}
{{- end }}
{{- with .Values.affinity }}
affinity: {{- toYaml . | nindent 2 }}
{{- end }}
{{- end }}
{{- end -}}

{{/* The writable /tmp (uploads, report rendering, font caches, Dramatiq's metrics files). */}}
{{- define "jixiao.tmpVolume" -}}
- name: tmp
  {{- with .Values.tmpSizeLimit }}
  emptyDir: {sizeLimit: {{ . }}}
  {{- else }}
  emptyDir: {}
  {{- end }}
{{- end -}}

{{- define "jixiao.tmpMount" -}}
- {name: tmp, mountPath: /tmp}
{{- end -}}

{{/* Checksums of the configuration: a changed value rolls the pods. */}}
{{- define "jixiao.checksums" -}}
checksum/config: {{ include (print .Template.BasePath "/configmap.yaml") . | sha256sum }}
checksum/secret: {{ include (print .Template.BasePath "/secret.yaml") . | sha256sum }}
{{- end -}}
