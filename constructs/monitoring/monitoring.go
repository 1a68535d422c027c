package monitoring

import (
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"
	"github.com/hashicorp/terraform-cdk-go/cdktf"
)

// Monitoring is the metrics, logs and traces stack of one cluster.
type Monitoring struct {
	constructs.Construct

	// Namespace is the Kubernetes namespace of every component.
	Namespace string

	// OTLPGRPCEndpoint is the collector's OTLP/gRPC receiver as host:port,
	// for example "otel-collector.monitoring.svc.cluster.local:4317".
	OTLPGRPCEndpoint string

	// OTLPHTTPEndpoint is the collector's OTLP/HTTP receiver as a URL, for
	// example "http://otel-collector.monitoring.svc.cluster.local:4318",
	// the form of OTEL_EXPORTER_OTLP_ENDPOINT.
	OTLPHTTPEndpoint string

	// ContainerLogGroupName is the CloudWatch Logs group that Fluent Bit
	// ships container logs to.
	ContainerLogGroupName string

	// GrafanaAdminSecretARN is the ARN of the Secrets Manager secret that
	// contains Grafana's administrator login and password.
	GrafanaAdminSecretARN *string

	// Releases are the Helm releases in installation order: the base
	// release (namespace and Grafana's ExternalSecret),
	// kube-prometheus-stack, Fluent Bit and the OpenTelemetry collector.
	// Releases that need the monitoring stack, such as workloads with
	// ServiceMonitors, depend on them.
	Releases []cdktf.ITerraformDependable
}

// New creates the monitoring stack of one cluster. It panics if cfg is
// invalid.
//
// It creates Grafana's administrator secret and delivers it through
// External Secrets. It installs kube-prometheus-stack (Prometheus,
// Alertmanager, Grafana), Fluent Bit, which ships container logs to an
// encrypted CloudWatch Logs group, and an OpenTelemetry collector, which
// exports traces to X-Ray. Fluent Bit and the collector call AWS through
// Pod Identity roles of their own.
func New(scope constructs.Construct, id string, cfg Config) *Monitoring {
	cfg = cfg.withDefaults()
	if err := cfg.Validate(); err != nil {
		panic(err)
	}

	c := constructs.NewConstruct(scope, jsii.String(id))

	admin := newGrafanaAdmin(c, cfg)
	base := newBaseRelease(c, cfg, admin)
	prometheusStack := newPrometheusStack(c, cfg, base)
	logs := newFluentBit(c, cfg, base)
	traces := newOTelCollector(c, cfg, base)

	grpc, http := otlpEndpoints()
	return &Monitoring{
		Construct:             c,
		Namespace:             Namespace,
		OTLPGRPCEndpoint:      grpc,
		OTLPHTTPEndpoint:      http,
		ContainerLogGroupName: containerLogGroupName(cfg.Name),
		GrafanaAdminSecretARN: admin.secret.Arn(),
		Releases:              []cdktf.ITerraformDependable{base, prometheusStack, logs, traces},
	}
}
