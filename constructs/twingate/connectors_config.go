package twingate

import (
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strings"

	"github.com/hashicorp/terraform-cdk-go/cdktf"
	"github.com/honeyhive/platform/constructs/awsid"
)

// Defaults for ConnectorsConfig.
const (
	// DefaultConnectorCount is two connectors, the minimum Twingate
	// recommends per remote network so that one can fail or be updated while
	// the other carries the traffic.
	DefaultConnectorCount = 2

	// DefaultImage is the connector image. The tag is pinned so that a new
	// connector release reaches the connectors only through a reviewed
	// change.
	//
	// NOTE: 1.93.0 is the newest twingate/connector tag found in public
	// deployment configurations when this was written. It was not checked
	// against Docker Hub, which the build machine cannot reach.
	DefaultImage = "twingate/connector:1.93.0"

	// DefaultCPU is the Fargate task's CPU in CPU units (1024 = one vCPU).
	DefaultCPU = 256

	// DefaultMemory is the Fargate task's memory in MiB.
	DefaultMemory = 512

	// DefaultPartition is the commercial AWS partition.
	DefaultPartition = "aws"
)

// executionRoleSuffix follows Name in the execution role's name, the
// longest name derived from ConnectorsConfig.Name.
const executionRoleSuffix = "-twingate-execution"

// maxNameLength keeps the execution role name within IAM's 64-character
// limit for role names.
const maxNameLength = 64 - len(executionRoleSuffix)

var (
	// namePrefix keeps ConnectorsConfig.Name usable in IAM, ECS, security
	// group and secret names: lowercase letters, digits and single hyphens.
	namePrefix = regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*$`)
)

// partitionDNSSuffixes maps each AWS partition to the domain of its service
// endpoints, which kms:ViaService values end in.
var partitionDNSSuffixes = map[string]string{
	"aws":        "amazonaws.com",
	"aws-us-gov": "amazonaws.com",
	"aws-cn":     "amazonaws.com.cn",
}

// ConnectorsConfig configures NewConnectors.
type ConnectorsConfig struct {
	// Name is the prefix of every AWS and Twingate name the construct
	// creates, for example "prod-usw2". Lowercase letters, digits and single
	// hyphens, at most 45 characters. Required.
	Name string

	// Network is the Twingate tenant name, the "acme" of acme.twingate.com.
	// The containers get it as TWINGATE_NETWORK. Required.
	Network string

	// RemoteNetworkName is the remote network's name in the Admin Console.
	// Environments that share a tenant need different names. Default: Name.
	RemoteNetworkName string

	// Count is the number of connectors. Default: DefaultConnectorCount.
	Count int

	// VPCID is the VPC the connectors' security group belongs to. Required.
	VPCID *string

	// SubnetIDs are the private subnets the connectors run in, one per
	// availability zone. Connector i runs in SubnetIDs[i % len(SubnetIDs)].
	// Required: at least two when Count is more than one, so that the
	// connectors do not share an availability zone.
	SubnetIDs []*string

	// SecretsKMSKeyARN is the customer-managed KMS key that encrypts the
	// token secrets. The execution role's kms:Decrypt comes from an IAM
	// policy, so the key policy must let IAM policies of the account grant
	// use of the key. Required.
	SecretsKMSKeyARN *string

	// LogsKMSKeyARN is the customer-managed KMS key that encrypts the
	// container log group and the Container Insights log group. Its key
	// policy must let the CloudWatch Logs service principal of Region use
	// it. Required.
	LogsKMSKeyARN *string

	// LogRetentionDays is the retention period in days of the container logs
	// and of the Container Insights performance events, one of the periods
	// CloudWatch Logs accepts (1, 3, 5, 7, 14, 30, ... 3653). Required.
	LogRetentionDays int

	// Image is the connector container image, with a pinned tag or digest.
	// Default: DefaultImage.
	Image string

	// CPU is the Fargate task's CPU in CPU units. Default: DefaultCPU.
	CPU int

	// Memory is the Fargate task's memory in MiB, a size Fargate offers for
	// CPU. Default: DefaultMemory.
	Memory int

	// AccountID is the AWS account the connectors run in. Required.
	AccountID string

	// Region is the AWS region the connectors run in, for example
	// "us-west-2". Required.
	Region string

	// Partition is the AWS partition of Region: "aws", "aws-us-gov" or
	// "aws-cn". Default: DefaultPartition.
	Partition string

	// Provider is the Twingate provider from NewProvider. Required.
	Provider cdktf.TerraformProvider
}

func (c ConnectorsConfig) withDefaults() ConnectorsConfig {
	if c.RemoteNetworkName == "" {
		c.RemoteNetworkName = c.Name
	}
	if c.Count == 0 {
		c.Count = DefaultConnectorCount
	}
	if c.Image == "" {
		c.Image = DefaultImage
	}
	if c.CPU == 0 {
		c.CPU = DefaultCPU
	}
	if c.Memory == 0 {
		c.Memory = DefaultMemory
	}
	if c.Partition == "" {
		c.Partition = DefaultPartition
	}
	return c
}

// Validate returns every problem with c, joined, or nil. Call it after
// defaults are applied: fields left at their zero value are reported as
// errors.
func (c ConnectorsConfig) Validate() error {
	var errs []error
	errs = append(errs, c.validateName()...)
	errs = append(errs, validateTenant("ConnectorsConfig.Network", c.Network)...)
	if strings.TrimSpace(c.RemoteNetworkName) == "" {
		errs = append(errs, errors.New("twingate: ConnectorsConfig.RemoteNetworkName is empty; set it or Name"))
	}
	errs = append(errs, c.validatePlacement()...)
	if c.SecretsKMSKeyARN == nil {
		errs = append(errs, errors.New("twingate: ConnectorsConfig.SecretsKMSKeyARN is missing; set it to the ARN of the customer-managed key for secrets"))
	}
	if c.LogsKMSKeyARN == nil {
		errs = append(errs, errors.New("twingate: ConnectorsConfig.LogsKMSKeyARN is missing; set it to the ARN of the customer-managed key for logs"))
	}
	if err := awsid.LogRetentionDays("twingate: ConnectorsConfig.LogRetentionDays", c.LogRetentionDays); err != nil {
		errs = append(errs, err)
	}
	errs = append(errs, c.validateImage()...)
	if !fargateSizeValid(c.CPU, c.Memory) {
		errs = append(errs, fmt.Errorf("twingate: ConnectorsConfig.CPU and Memory: %d CPU units with %d MiB is not a Fargate task size; use for example 256 with 512, 512 with 1024 or 1024 with 2048", c.CPU, c.Memory))
	}
	errs = append(errs, c.validateAccount()...)
	errs = append(errs, validateProvider("ConnectorsConfig.Provider", c.Provider)...)
	return errors.Join(errs...)
}

func (c ConnectorsConfig) validateName() []error {
	switch {
	case c.Name == "":
		return []error{errors.New(`twingate: ConnectorsConfig.Name is empty; set it to the environment and region prefix, for example "prod-usw2"`)}
	case !namePrefix.MatchString(c.Name):
		return []error{fmt.Errorf("twingate: ConnectorsConfig.Name: %q is invalid; use lowercase letters, digits and single hyphens, for example %q", c.Name, "prod-usw2")}
	case len(c.Name) > maxNameLength:
		return []error{fmt.Errorf("twingate: ConnectorsConfig.Name: %q is %d characters long; use at most %d so the IAM role name fits in 64 characters", c.Name, len(c.Name), maxNameLength)}
	}
	return nil
}

func (c ConnectorsConfig) validatePlacement() []error {
	var errs []error
	if c.Count < 1 {
		errs = append(errs, fmt.Errorf("twingate: ConnectorsConfig.Count: %d is invalid; use 1 or more, or 0 for the default of %d", c.Count, DefaultConnectorCount))
	}
	if c.VPCID == nil {
		errs = append(errs, errors.New("twingate: ConnectorsConfig.VPCID is missing; set it to the ID of the VPC the connectors run in"))
	}
	switch {
	case len(c.SubnetIDs) == 0:
		errs = append(errs, errors.New("twingate: ConnectorsConfig.SubnetIDs is empty; set it to the private subnets, one per availability zone"))
	case slices.Contains(c.SubnetIDs, nil):
		errs = append(errs, errors.New("twingate: ConnectorsConfig.SubnetIDs contains a nil ID; pass only subnet IDs"))
	case c.Count > 1 && len(c.SubnetIDs) < 2:
		errs = append(errs, fmt.Errorf("twingate: ConnectorsConfig.SubnetIDs has one subnet for %d connectors, so they would share an availability zone; pass private subnets in at least two zones", c.Count))
	}
	return errs
}

func (c ConnectorsConfig) validateImage() []error {
	switch {
	case c.Image == "" || strings.ContainsAny(c.Image, " \t\n"):
		return []error{fmt.Errorf("twingate: ConnectorsConfig.Image: %q is not an image reference; use for example %q", c.Image, DefaultImage)}
	case imageTag(c.Image) == "" && !strings.Contains(c.Image, "@sha256:"):
		return []error{fmt.Errorf("twingate: ConnectorsConfig.Image: %q has no tag or digest; pin a version, for example %q", c.Image, DefaultImage)}
	case imageTag(c.Image) == "latest":
		return []error{fmt.Errorf("twingate: ConnectorsConfig.Image: %q uses the moving tag latest; pin a version, for example %q", c.Image, DefaultImage)}
	}
	return nil
}

func (c ConnectorsConfig) validateAccount() []error {
	var errs []error
	if err := awsid.AccountID("twingate: ConnectorsConfig.AccountID", c.AccountID); err != nil {
		errs = append(errs, err)
	}
	if err := awsid.Region("twingate: ConnectorsConfig.Region", c.Region); err != nil {
		errs = append(errs, err)
	}
	if err := awsid.Partition("twingate: ConnectorsConfig.Partition", c.Partition, "aws", "aws-us-gov", "aws-cn"); err != nil {
		errs = append(errs, err)
	}
	return errs
}

// imageTag returns the tag of an image reference, or "" when it has none.
// A colon before the last slash belongs to a registry port, not a tag.
func imageTag(image string) string {
	image, _, _ = strings.Cut(image, "@")
	lastSlash := strings.LastIndex(image, "/")
	colon := strings.LastIndex(image, ":")
	if colon <= lastSlash {
		return ""
	}
	return image[colon+1:]
}

// fargateSizeValid reports whether Fargate offers a Linux task with cpu CPU
// units and memory MiB.
func fargateSizeValid(cpu, memory int) bool {
	inRange := func(min, max, step int) bool {
		return memory >= min && memory <= max && (memory-min)%step == 0
	}
	switch cpu {
	case 256:
		return memory == 512 || memory == 1024 || memory == 2048
	case 512:
		return inRange(1024, 4096, 1024)
	case 1024:
		return inRange(2048, 8192, 1024)
	case 2048:
		return inRange(4096, 16384, 1024)
	case 4096:
		return inRange(8192, 30720, 1024)
	case 8192:
		return inRange(16384, 61440, 4096)
	case 16384:
		return inRange(32768, 122880, 8192)
	}
	return false
}
