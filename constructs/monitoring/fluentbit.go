package monitoring

import (
	"fmt"
	"strings"

	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/cloudwatchloggroup"
	"github.com/cdktf/cdktf-provider-helm-go/helm/v10/release"
	"github.com/hashicorp/terraform-cdk-go/cdktf"

	"github.com/honeyhive/platform/constructs/helmrelease"
	"github.com/honeyhive/platform/constructs/iampolicy"
	"github.com/honeyhive/platform/constructs/podidentity"
)

const (
	fluentBitRepository     = "https://fluent.github.io/helm-charts"
	fluentBitChart          = "fluent-bit"
	fluentBitReleaseName    = "fluent-bit"
	fluentBitServiceAccount = "fluent-bit"
	fluentBitRoleSuffix     = "-fluent-bit"

	// fluentBitStateDirectory is a host directory mounted into every Fluent
	// Bit pod. The positions file in it records how far each container log
	// has been read, so a restarted pod resumes where the previous one
	// stopped instead of skipping or repeating lines.
	fluentBitStateDirectory = "/var/lib/fluent-bit"
	fluentBitPositionsFile  = fluentBitStateDirectory + "/containers.db"

	// fluentBitRetryLimit is how many times Fluent Bit retries a failed
	// chunk before dropping it.
	fluentBitRetryLimit = "5"
)

// containerLogGroupName returns the CloudWatch Logs group of the cluster's
// container logs.
func containerLogGroupName(name string) string {
	return fmt.Sprintf("/honeyhive/%s/containers", name)
}

// fluentBitValues are the values of the fluent-bit chart.
type fluentBitValues struct {
	Kind              string               `json:"kind"`
	ServiceAccount    serviceAccountValues `json:"serviceAccount"`
	Tolerations       []toleration         `json:"tolerations"`
	PriorityClassName string               `json:"priorityClassName"`
	Resources         resourceRequirements `json:"resources"`
	ExtraVolumes      []hostPathVolume     `json:"extraVolumes"`
	ExtraVolumeMounts []volumeMount        `json:"extraVolumeMounts"`
	Config            fluentBitConfig      `json:"config"`
}

// hostPathVolume is a pod volume of a host directory.
type hostPathVolume struct {
	Name     string         `json:"name"`
	HostPath hostPathSource `json:"hostPath"`
}

type hostPathSource struct {
	Path string `json:"path"`
	Type string `json:"type"`
}

type volumeMount struct {
	Name      string `json:"name"`
	MountPath string `json:"mountPath"`
}

// fluentBitConfig contains the chart's pipeline sections in Fluent Bit's
// classic configuration format. The chart's own [SERVICE] section, with
// the health endpoint its probes use, stays as it is.
type fluentBitConfig struct {
	Inputs  string `json:"inputs"`
	Filters string `json:"filters"`
	Outputs string `json:"outputs"`
}

// fluentBitSection is one section of a classic Fluent Bit configuration,
// such as [INPUT], with its properties in order.
type fluentBitSection struct {
	Kind       string
	Properties [][2]string
}

// render returns the section in the classic format.
func (s fluentBitSection) render() string {
	var b strings.Builder
	fmt.Fprintf(&b, "[%s]\n", s.Kind)
	for _, p := range s.Properties {
		fmt.Fprintf(&b, "    %s %s\n", p[0], p[1])
	}
	return b.String()
}

// newFluentBit creates the container log group, Fluent Bit's Pod Identity
// role and the Fluent Bit DaemonSet. deps must include the base release,
// which creates the namespace.
//
// The log group is created here, encrypted and with a retention period,
// and the output never creates groups, so logs cannot land in a group
// without either. The group contains application logs that can serve as
// audit records, so it is protected from destroy.
func newFluentBit(scope constructs.Construct, cfg Config, deps ...cdktf.ITerraformDependable) release.Release {
	groupName := containerLogGroupName(cfg.Name)
	logGroup := cloudwatchloggroup.NewCloudwatchLogGroup(scope, jsii.String("container_log_group"), &cloudwatchloggroup.CloudwatchLogGroupConfig{
		Name:            jsii.String(groupName),
		KmsKeyId:        cfg.LogsKMSKeyARN,
		RetentionInDays: jsii.Number(float64(cfg.LogRetentionDays)),
		Tags:            &map[string]*string{"Name": jsii.String(groupName)},
		Lifecycle:       &cdktf.TerraformResourceLifecycle{PreventDestroy: jsii.Bool(true)},
	})

	policy := fluentBitPolicy(cfg, groupName)
	role := podidentity.NewRole(scope, "fluent_bit_pod_identity", podidentity.RoleConfig{
		Name:           cfg.Name + fluentBitRoleSuffix,
		ClusterName:    cfg.Cluster.NameToken,
		ClusterARN:     cfg.Cluster.ARN,
		AccountID:      cfg.Cluster.AccountID,
		Namespace:      Namespace,
		ServiceAccount: fluentBitServiceAccount,
		Policy:         &policy,
	})

	// The release waits for the log group, which the output does not
	// create, and for the association, because EKS injects credentials only
	// into pods created after it exists.
	releaseDeps := append(dependencies(cfg, deps...), logGroup, role.Association)
	return helmrelease.New(scope, "fluent_bit", helmrelease.Config{
		Name:       fluentBitReleaseName,
		Namespace:  Namespace,
		Repository: fluentBitRepository,
		Chart:      fluentBitChart,
		Version:    cfg.FluentBitVersion,
		Values:     fluentBitValuesFor(cfg, groupName),
		Provider:   cfg.Cluster.HelmProvider,
		DependsOn:  releaseDeps,
	})
}

// fluentBitPolicy allows writing to the container log group and nothing
// else.
//
// The cloudwatch_logs output documents CreateLogStream and PutLogEvents,
// plus CreateLogGroup, which it needs only with auto_create_group on and so
// is not granted. DescribeLogStreams is read-only on the same group. The
// older AWS Go plugin (cloudwatch) calls it, so the role also serves that
// plugin. DescribeLogGroups supports no resource-level permissions and is
// not granted, because neither plugin needs it for an existing group.
//
// The group ARN is listed both bare and with ":*", the two forms in which
// log group ARNs appear. The ":*" form also matches the group's streams.
func fluentBitPolicy(cfg Config, groupName string) iampolicy.Document {
	group := cfg.arn("logs", "log-group:"+groupName)
	return iampolicy.Document{Statements: []iampolicy.Statement{{
		Sid:       "WriteContainerLogs",
		Actions:   []string{"logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogStreams"},
		Resources: []string{group, group + ":*"},
	}}}
}

// fluentBitValuesFor returns the chart values for cfg.
//
// Fluent Bit runs on every node, so it tolerates every taint, including the
// system node group's CriticalAddonsOnly taint and NoExecute taints. The
// system-node-critical priority lets it displace ordinary pods on a full
// node, so no node runs without its log shipper.
func fluentBitValuesFor(cfg Config, groupName string) fluentBitValues {
	return fluentBitValues{
		Kind:              "DaemonSet",
		ServiceAccount:    serviceAccountValues{Create: true, Name: fluentBitServiceAccount},
		Tolerations:       []toleration{{Operator: "Exists"}},
		PriorityClassName: "system-node-critical",
		Resources: resourceRequirements{
			Requests: resourceList{CPU: "50m", Memory: "64Mi"},
			Limits:   &resourceList{Memory: "256Mi"},
		},
		ExtraVolumes: []hostPathVolume{{
			Name:     "state",
			HostPath: hostPathSource{Path: fluentBitStateDirectory, Type: "DirectoryOrCreate"},
		}},
		ExtraVolumeMounts: []volumeMount{{Name: "state", MountPath: fluentBitStateDirectory}},
		Config: fluentBitConfig{
			Inputs:  fluentBitInput().render(),
			Filters: fluentBitFilter().render(),
			Outputs: fluentBitOutput(cfg.Cluster.Region, groupName).render(),
		},
	}
}

// fluentBitInput tails the container logs that the kubelet links under
// /var/log/containers. EKS nodes run containerd, which writes the CRI log
// format.
func fluentBitInput() fluentBitSection {
	return fluentBitSection{Kind: "INPUT", Properties: [][2]string{
		{"Name", "tail"},
		{"Path", "/var/log/containers/*.log"},
		{"multiline.parser", "cri"},
		{"Tag", "kube.*"},
		{"DB", fluentBitPositionsFile},
		{"Mem_Buf_Limit", "50MB"},
		{"Skip_Long_Lines", "On"},
		{"Refresh_Interval", "10"},
	}}
}

// fluentBitFilter adds each record's pod, namespace, container and labels,
// and parses JSON log lines into fields. Annotations are left out, because
// they can be large and some contain configuration.
func fluentBitFilter() fluentBitSection {
	return fluentBitSection{Kind: "FILTER", Properties: [][2]string{
		{"Name", "kubernetes"},
		{"Match", "kube.*"},
		{"Merge_Log", "On"},
		{"Keep_Log", "Off"},
		{"Annotations", "Off"},
		{"K8S-Logging.Parser", "On"},
		{"K8S-Logging.Exclude", "On"},
	}}
}

// fluentBitOutput sends the records to the log group, one stream per
// container named namespace.pod.container. A record without Kubernetes
// metadata goes to a stream named after the prefix and its tag instead.
func fluentBitOutput(region, groupName string) fluentBitSection {
	return fluentBitSection{Kind: "OUTPUT", Properties: [][2]string{
		{"Name", "cloudwatch_logs"},
		{"Match", "kube.*"},
		{"region", region},
		{"log_group_name", groupName},
		{"log_stream_prefix", "unmatched."},
		{"log_stream_template", "$kubernetes['namespace_name'].$kubernetes['pod_name'].$kubernetes['container_name']"},
		{"auto_create_group", "false"},
		{"Retry_Limit", fluentBitRetryLimit},
	}}
}
