{{- define "jixiao.name" -}}{{ .Release.Name }}-jixiao{{- end -}}
{{- define "jixiao.secret" -}}{{ default (printf "%s-secrets" (include "jixiao.name" .)) .Values.existingSecret }}{{- end -}}
{{- define "jixiao.env" -}}
- name: JIXIAO_PRODUCTION
  valueFrom: {configMapKeyRef: {name: {{ include "jixiao.name" . }}-config, key: production}}
- name: JIXIAO_INTROSPECTION
  valueFrom: {configMapKeyRef: {name: {{ include "jixiao.name" . }}-config, key: introspection}}
- name: JIXIAO_APP_ROLE
  valueFrom: {configMapKeyRef: {name: {{ include "jixiao.name" . }}-config, key: appRole}}
- name: JIXIAO_TOKEN_TTL_SECONDS
  valueFrom: {configMapKeyRef: {name: {{ include "jixiao.name" . }}-config, key: tokenTtlSeconds}}
- name: JIXIAO_TRUSTED_PROXIES
  valueFrom: {configMapKeyRef: {name: {{ include "jixiao.name" . }}-config, key: trustedProxies}}
- name: JIXIAO_DATABASE_URL
  valueFrom: {secretKeyRef: {name: {{ include "jixiao.secret" . }}, key: databaseUrl}}
- name: JIXIAO_OWNER_DATABASE_URL
  valueFrom: {secretKeyRef: {name: {{ include "jixiao.secret" . }}, key: ownerDatabaseUrl}}
- name: JIXIAO_REDIS_URL
  valueFrom: {secretKeyRef: {name: {{ include "jixiao.secret" . }}, key: redisUrl}}
- name: JIXIAO_SECRET_KEY
  valueFrom: {secretKeyRef: {name: {{ include "jixiao.secret" . }}, key: secretKey}}
{{- end -}}
