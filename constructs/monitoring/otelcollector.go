package monitoring

import (
	"fmt"

	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/xrayencryptionconfig"
	"github.com/cdktf/cdktf-provider-helm-go/helm/v10/release"
	"github.com/hashicorp/terraform-cdk-go/cdktf"

	"github.com/honeyhive/platform/constructs/helmrelease"
	"github.com/honeyhive/platform/constructs/iampolicy"
	"github.com/honeyhive/platform/constructs/podidentity"
)

const (
	otelCollectorRepository  = "https://open-telemetry.github.io/opentelemetry-helm-charts"
	otelCollectorChart       = "opentelemetry-collector"
	otelCollectorReleaseName = "otel-collector"

	// otelCollectorName overrides the chart's full name, so the Deployment,
	// its Service and the service account are all called otel-collector.
	otelCollectorName       = "otel-collector"
	otelCollectorRoleSuffix = "-otel-collector"

	// otelCollectorImage is the contrib distribution, the one that includes
	// the awsxray exporter. It comes from GitHub's container registry rather
	// than Docker Hub, because Docker Hub limits anonymous pulls per source
	// address and the nodes share NAT addresses.
	otelCollectorImage = "ghcr.io/open-telemetry/opentelemetry-collector-releases/opentelemetry-collector-contrib"

	// otelCollectorCommand is the contrib image's executable.
	otelCollectorCommand = "otelcol-contrib"

	otlpGRPCPort = 4317
	otlpHTTPPort = 4318

	otelCollectorMinReplicas = 2
	otelCollectorMaxReplicas = 10

	// otelCollectorTargetCPUPercent is the average CPU use, relative to the
	// request, that the autoscaler keeps the replicas at.
	otelCollectorTargetCPUPercent = 70
)

// xrayActions are the calls that write traces and read sampling rules, the
// actions of the AWS managed policy AWSXRayDaemonWriteAccess. X-Ray defines
// no resource types for them, so IAM accepts them only on "*". The awsxray
// exporter calls PutTraceSegments and PutTelemetryRecords. The sampling
// reads let applications fetch X-Ray sampling rules through the collector
// once it runs the awsproxy extension, without a change to the role.
var xrayActions = []string{
	"xray:PutTraceSegments",
	"xray:PutTelemetryRecords",
	"xray:GetSamplingRules",
	"xray:GetSamplingTargets",
	"xray:GetSamplingStatisticSummaries",
}

// otlpEndpoints returns the in-cluster addresses of the collector's OTLP
// receivers: gRPC as host:port, HTTP as a URL, the forms OpenTelemetry SDKs
// take for each.
func otlpEndpoints() (grpc, http string) {
	host := fmt.Sprintf("%s.%s.svc.cluster.local", otelCollectorName, Namespace)
	return fmt.Sprintf("%s:%d", host, otlpGRPCPort), fmt.Sprintf("http://%s:%d", host, otlpHTTPPort)
}

// otelCollectorValues are the values of the opentelemetry-collector chart.
type otelCollectorValues struct {
	Mode                string                 `json:"mode"`
	FullnameOverride    string                 `json:"fullnameOverride"`
	Image               otelImage              `json:"image"`
	Command             otelCommand            `json:"command"`
	ServiceAccount      serviceAccountValues   `json:"serviceAccount"`
	Ports               map[string]otelPort    `json:"ports"`
	Config              otelConfig             `json:"config"`
	Resources           resourceRequirements   `json:"resources"`
	Autoscaling         otelAutoscaling        `json:"autoscaling"`
	PodDisruptionBudget disruptionBudgetValues `json:"podDisruptionBudget"`
}

type otelImage struct {
	Repository string `json:"repository"`
	Tag        string `json:"tag"`
}

type otelCommand struct {
	Name string `json:"name"`
}

type otelPort struct {
	Enabled bool `json:"enabled"`
}

// otelAutoscaling is the chart's HorizontalPodAutoscaler block. The chart
// ignores replicaCount while it is enabled.
type otelAutoscaling struct {
	Enabled                        bool `json:"enabled"`
	MinReplicas                    int  `json:"minReplicas"`
	MaxReplicas                    int  `json:"maxReplicas"`
	TargetCPUUtilizationPercentage int  `json:"targetCPUUtilizationPercentage"`
}

// otelConfig is merged into the chart's default collector configuration.
// Helm deletes a key whose value is null, so the nil pointers below remove
// the chart's default receivers, exporter and pipelines that this
// collector does not use.
type otelConfig struct {
	Receivers  otelReceivers  `json:"receivers"`
	Processors otelProcessors `json:"processors"`
	Exporters  otelExporters  `json:"exporters"`
	Service    otelService    `json:"service"`
}

type otelReceivers struct {
	OTLP       otelOTLPReceiver `json:"otlp"`
	Jaeger     *struct{}        `json:"jaeger"`
	Zipkin     *struct{}        `json:"zipkin"`
	Prometheus *struct{}        `json:"prometheus"`
}

type otelOTLPReceiver struct {
	Protocols otelOTLPProtocols `json:"protocols"`
}

type otelOTLPProtocols struct {
	GRPC otelEndpoint `json:"grpc"`
	HTTP otelEndpoint `json:"http"`
}

type otelEndpoint struct {
	Endpoint string `json:"endpoint"`
}

type otelProcessors struct {
	MemoryLimiter otelMemoryLimiter `json:"memory_limiter"`
	Batch         otelBatch         `json:"batch"`
}

// otelMemoryLimiter refuses data above a share of the container's memory
// limit, so the collector sheds load instead of being killed.
type otelMemoryLimiter struct {
	CheckInterval        string `json:"check_interval"`
	LimitPercentage      int    `json:"limit_percentage"`
	SpikeLimitPercentage int    `json:"spike_limit_percentage"`
}

type otelBatch struct {
	Timeout       string `json:"timeout"`
	SendBatchSize int    `json:"send_batch_size"`
}

type otelExporters struct {
	AWSXRay otelXRayExporter `json:"awsxray"`
	Debug   *struct{}        `json:"debug"`
}

type otelXRayExporter struct {
	Region string `json:"region"`
}

type otelService struct {
	Pipelines otelPipelines `json:"pipelines"`
}

type otelPipelines struct {
	Traces  *otelPipeline `json:"traces"`
	Metrics *otelPipeline `json:"metrics"`
	Logs    *otelPipeline `json:"logs"`
}

type otelPipeline struct {
	Receivers  []string `json:"receivers"`
	Processors []string `json:"processors"`
	Exporters  []string `json:"exporters"`
}

// newOTelCollector creates the X-Ray encryption setting, the collector's
// Pod Identity role and the collector Deployment. deps must include the
// base release, which creates the namespace.
func newOTelCollector(scope constructs.Construct, cfg Config, deps ...cdktf.ITerraformDependable) release.Release {
	// X-Ray keeps one encryption setting per account and region, so a
	// second stack in the same account and region must not declare another
	// one, or the two would overwrite each other on every apply. Destroying
	// the resource leaves X-Ray's setting as it was.
	encryption := xrayencryptionconfig.NewXrayEncryptionConfig(scope, jsii.String("xray_encryption"), &xrayencryptionconfig.XrayEncryptionConfigConfig{
		Type:  jsii.String("KMS"),
		KeyId: cfg.TracesKMSKeyARN,
	})

	policy := otelCollectorPolicy(cfg)
	role := podidentity.NewRole(scope, "otel_collector_pod_identity", podidentity.RoleConfig{
		Name:           cfg.Name + otelCollectorRoleSuffix,
		ClusterName:    cfg.Cluster.NameToken,
		ClusterARN:     cfg.Cluster.ARN,
		AccountID:      cfg.Cluster.AccountID,
		Namespace:      Namespace,
		ServiceAccount: otelCollectorName,
		Policy:         &policy,
	})

	releaseDeps := append(dependencies(cfg, deps...), encryption, role.Association)
	return helmrelease.New(scope, "otel_collector", helmrelease.Config{
		Name:       otelCollectorReleaseName,
		Namespace:  Namespace,
		Repository: otelCollectorRepository,
		Chart:      otelCollectorChart,
		Version:    cfg.OpenTelemetryCollectorVersion,
		Values:     otelCollectorValuesFor(cfg),
		Provider:   cfg.Cluster.HelmProvider,
		DependsOn:  releaseDeps,
	})
}

// otelCollectorPolicy allows sending traces to X-Ray and using the traces
// key for them.
//
// X-Ray uses a customer-managed key with the caller's own access to it
// (the X-Ray data protection guide calls it user-level access), so the
// writer gets kms:GenerateDataKey and kms:Decrypt on the traces key. The
// condition limits both to calls made through X-Ray in the cluster's
// region.
func otelCollectorPolicy(cfg Config) iampolicy.Document {
	return iampolicy.Document{Statements: []iampolicy.Statement{
		{
			Sid:       "WriteTracesToXRay",
			Actions:   xrayActions,
			Resources: []string{"*"},
		},
		{
			Sid:       "EncryptTracesWithKey",
			Actions:   []string{"kms:GenerateDataKey", "kms:Decrypt"},
			Resources: []string{*cfg.TracesKMSKeyARN},
			Conditions: map[string]map[string][]string{
				"StringEquals": {"kms:ViaService": {fmt.Sprintf("xray.%s.amazonaws.com", cfg.Cluster.Region)}},
			},
		},
	}}
}

// otelCollectorValuesFor returns the chart values for cfg.
//
// The collector receives OTLP over gRPC and HTTP on the pod's address,
// limits memory before batching, and exports traces to X-Ray. The
// autoscaler keeps two to ten replicas and the budget keeps one running
// during node drains.
func otelCollectorValuesFor(cfg Config) otelCollectorValues {
	pipeline := &otelPipeline{
		Receivers:  []string{"otlp"},
		Processors: []string{"memory_limiter", "batch"},
		Exporters:  []string{"awsxray"},
	}
	return otelCollectorValues{
		Mode:             "deployment",
		FullnameOverride: otelCollectorName,
		Image:            otelImage{Repository: otelCollectorImage, Tag: cfg.OpenTelemetryCollectorImageTag},
		Command:          otelCommand{Name: otelCollectorCommand},
		ServiceAccount:   serviceAccountValues{Create: true, Name: otelCollectorName},
		Ports: map[string]otelPort{
			"otlp":           {Enabled: true},
			"otlp-http":      {Enabled: true},
			"jaeger-compact": {Enabled: false},
			"jaeger-thrift":  {Enabled: false},
			"jaeger-grpc":    {Enabled: false},
			"zipkin":         {Enabled: false},
		},
		Config: otelConfig{
			Receivers: otelReceivers{OTLP: otelOTLPReceiver{Protocols: otelOTLPProtocols{
				GRPC: otelEndpoint{Endpoint: podAddress(otlpGRPCPort)},
				HTTP: otelEndpoint{Endpoint: podAddress(otlpHTTPPort)},
			}}},
			Processors: otelProcessors{
				MemoryLimiter: otelMemoryLimiter{CheckInterval: "5s", LimitPercentage: 80, SpikeLimitPercentage: 25},
				Batch:         otelBatch{Timeout: "5s", SendBatchSize: 512},
			},
			Exporters: otelExporters{AWSXRay: otelXRayExporter{Region: cfg.Cluster.Region}},
			Service:   otelService{Pipelines: otelPipelines{Traces: pipeline}},
		},
		Resources: resourceRequirements{
			Requests: resourceList{CPU: "200m", Memory: "256Mi"},
			Limits:   &resourceList{Memory: "1Gi"},
		},
		Autoscaling: otelAutoscaling{
			Enabled:                        true,
			MinReplicas:                    otelCollectorMinReplicas,
			MaxReplicas:                    otelCollectorMaxReplicas,
			TargetCPUUtilizationPercentage: otelCollectorTargetCPUPercent,
		},
		PodDisruptionBudget: disruptionBudgetValues{Enabled: true, MinAvailable: 1},
	}
}

// podAddress returns the collector's listen address on port: the pod's own
// IP, which the chart passes in MY_POD_IP, so the receivers do not listen on
// every interface. The collector expands ${env:...} when it loads its
// configuration.
func podAddress(port int) string {
	return escapeTerraformTemplate(fmt.Sprintf("${env:MY_POD_IP}:%d", port))
}
