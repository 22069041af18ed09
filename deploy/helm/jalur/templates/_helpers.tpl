{{- define "jalur.labels" -}}
app.kubernetes.io/name: jalur
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
{{- end }}

{{- define "jalur.env" -}}
{{- range $name, $value := .Values.env }}
- name: {{ $name }}
  value: {{ $value | quote }}
{{- end }}
- name: WORKER_PROCESSES
  value: {{ .Values.worker.replicas | quote }}
- name: JALUR_DATA_DIR
  value: /var/lib/jalur
{{- end }}

{{- define "jalur.envFrom" -}}
- secretRef:
    name: {{ .Values.existingSecret }}
{{- end }}

{{- define "jalur.files" -}}
volumes:
  - name: files
    persistentVolumeClaim:
      claimName: {{ .Values.files.existingClaim }}
{{- end }}
