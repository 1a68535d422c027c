// Package monitoring installs the metrics, logs and traces stack of one
// cluster in the "monitoring" namespace.
//
// Metrics: kube-prometheus-stack runs Prometheus, Alertmanager and Grafana
// on gp3 volumes. Prometheus picks up the ServiceMonitors, PodMonitors and
// rules of every namespace. Grafana's administrator password is generated
// into Secrets Manager once and copied into the cluster by External
// Secrets, so it never appears in chart values.
//
// Logs: Fluent Bit runs on every node, tolerating every taint, and ships
// container logs to the CloudWatch Logs group "/honeyhive/<Name>/containers",
// which Terraform creates with the logs key and a retention period. The
// upstream fluent/fluent-bit chart is used rather than aws-for-fluent-bit,
// because it runs the upstream image, which follows Fluent Bit releases
// directly. That image contains the cloudwatch_logs output written in C,
// which AWS recommends over its older Go plugin. The aws-for-fluent-bit
// image repackages the same releases later.
//
// Traces: an OpenTelemetry collector receives OTLP over gRPC (4317) and
// HTTP (4318) and exports traces to AWS X-Ray. X-Ray is the backend
// because it is managed: there is no stateful tracing store to run, size,
// back up or upgrade in the cluster. The collector authenticates to it
// with IAM through EKS Pod Identity, so there are no static credentials.
// X-Ray encrypts the traces with the customer-managed traces key. AWS
// expires traces on its own retention schedule, so nothing has to delete
// old data.
//
// Fluent Bit and the collector each get a Pod Identity role scoped to what
// they write. Every release waits for the base release, which creates the
// namespace and Grafana's ExternalSecret, so on destroy the namespace goes
// last.
package monitoring
