package addons

import (
	"errors"
	"fmt"
	"regexp"

	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"
	"github.com/cdktf/cdktf-provider-helm-go/helm/v10/release"
	"github.com/hashicorp/terraform-cdk-go/cdktf"

	"github.com/honeyhive/platform/constructs/awsid"
	"github.com/honeyhive/platform/constructs/helmrelease"
	"github.com/honeyhive/platform/constructs/iampolicy"
	"github.com/honeyhive/platform/constructs/podidentity"
)

// DefaultPartition is the AWS partition that ClusterInfo.Partition defaults
// to.
const DefaultPartition = "aws"

// maxRoleNameLength is IAM's limit on role names.
const maxRoleNameLength = 64

// supportedPartitions are the partitions whose service endpoints end in
// amazonaws.com, which the kms:ViaService conditions rely on.
var supportedPartitions = []string{"aws", "aws-us-gov"}

var (
	// clusterNamePattern is the pattern the EKS API documents for cluster
	// names.
	clusterNamePattern = regexp.MustCompile(`^[0-9A-Za-z][A-Za-z0-9_-]{0,99}$`)

	// exactVersionPattern matches one exact chart version, with or without
	// the "v" some repositories put in front. Ranges and "latest" do not
	// match.
	exactVersionPattern = regexp.MustCompile(`^v?[0-9]+\.[0-9]+\.[0-9]+(-[0-9A-Za-z.-]+)?$`)
)

// ClusterInfo describes the cluster an add-on is installed on. Every add-on
// config embeds one.
type ClusterInfo struct {
	// Name is the literal cluster name, for example "prod-usw2" (required).
	// It prefixes the add-ons' IAM role names and appears in chart values
	// and policy conditions, so it must be known at synth time.
	Name string

	// NameToken is the cluster name as a token of the aws_eks_cluster
	// resource (required). Pod Identity associations use it so that they
	// wait for the cluster.
	NameToken *string

	// ARN is the cluster ARN, usually a token (required). The roles' trust
	// policies admit only this cluster.
	ARN *string

	// AccountID is the cluster's 12-digit AWS account ID (required).
	AccountID string

	// Region is the cluster's region, for example "us-west-2" (required).
	Region string

	// Partition is the AWS partition, "aws" or "aws-us-gov".
	// Default: DefaultPartition.
	Partition string

	// VPCID is the cluster's VPC. The load balancer controller requires it,
	// and the other add-ons ignore it.
	VPCID *string

	// HelmProvider installs the charts. Nil uses the stack's default Helm
	// provider.
	HelmProvider cdktf.TerraformProvider

	// DependsOn orders every release after these resources, such as the
	// system node group and the core EKS add-ons.
	DependsOn []cdktf.ITerraformDependable
}

// withDefaults returns a copy of c with an empty Partition set to
// DefaultPartition.
func (c ClusterInfo) withDefaults() ClusterInfo {
	if c.Partition == "" {
		c.Partition = DefaultPartition
	}
	return c
}

// Validate returns the problems with c, joined, or nil, after filling the
// default partition. field names c in messages, with the caller's package,
// for example "monitoring: Config.Cluster". Other constructs that take a
// ClusterInfo use it so that every package checks a cluster the same way.
func (c ClusterInfo) Validate(field string) error {
	return errors.Join(c.withDefaults().check(field, "")...)
}

// validate returns the problems with c for an add-on of this package. field
// names c in messages, such as "ExternalDNSConfig.Cluster". roleSuffix is
// the name the add-on's IAM role appends to the cluster name, or "" when the
// add-on has no role.
func (c ClusterInfo) validate(field, roleSuffix string) []error {
	return c.check("addons: "+field, roleSuffix)
}

func (c ClusterInfo) check(field, roleSuffix string) []error {
	var errs []error
	switch {
	case c.Name == "":
		errs = append(errs, fmt.Errorf(`%s.Name is empty; set it to the literal cluster name, for example "prod-usw2"`, field))
	case !clusterNamePattern.MatchString(c.Name):
		errs = append(errs, fmt.Errorf("%s.Name: %q is not a valid EKS cluster name; use up to 100 letters, digits, hyphens and underscores, starting with a letter or digit", field, c.Name))
	case roleSuffix != "" && len(roleName(c.Name, roleSuffix)) > maxRoleNameLength:
		errs = append(errs, fmt.Errorf("%s.Name: %q makes the IAM role name %q longer than %d characters; use a shorter cluster name", field, c.Name, roleName(c.Name, roleSuffix), maxRoleNameLength))
	}
	if awsid.Missing(c.NameToken) {
		errs = append(errs, fmt.Errorf("%s.NameToken is missing; pass the aws_eks_cluster resource's name so that Pod Identity associations wait for the cluster", field))
	}
	if awsid.Missing(c.ARN) {
		errs = append(errs, fmt.Errorf("%s.ARN is missing; pass the aws_eks_cluster resource's ARN", field))
	}
	if err := awsid.AccountID(field+".AccountID", c.AccountID); err != nil {
		errs = append(errs, err)
	}
	if err := awsid.Region(field+".Region", c.Region); err != nil {
		errs = append(errs, err)
	}
	if err := awsid.Partition(field+".Partition", c.Partition, supportedPartitions...); err != nil {
		errs = append(errs, err)
	}
	return errs
}

// arn returns an ARN in the cluster's partition. Global services such as
// IAM pass "" for region, and Route 53 passes "" for region and account.
func (c ClusterInfo) arn(service, region, account, resource string) string {
	return fmt.Sprintf("arn:%s:%s:%s:%s:%s", c.Partition, service, region, account, resource)
}

// Addon is a Helm release of a cluster add-on and, for add-ons that call
// AWS, the IAM role its service account assumes through Pod Identity.
type Addon struct {
	constructs.Construct

	// Release is the helm_release resource.
	Release release.Release

	// Namespace is the Kubernetes namespace the add-on runs in.
	Namespace string

	// ServiceAccount is the service account of the add-on's controller. For
	// an add-on with a role, it is the one the Pod Identity association
	// binds to RoleARN.
	ServiceAccount string

	// RoleARN is the ARN of the add-on's Pod Identity role, or nil when the
	// add-on calls no AWS API.
	RoleARN *string
}

// addonSpec is the description of one add-on that its constructor passes
// to newAddon.
type addonSpec struct {
	cluster        ClusterInfo
	releaseName    string
	namespace      string
	serviceAccount string
	repository     string
	chart          string
	version        string
	values         any

	// roleSuffix and policy describe the Pod Identity role. An empty
	// roleSuffix means the add-on has no role.
	roleSuffix string
	policy     *iampolicy.Document
}

// newAddon creates the add-on's construct, its Pod Identity role if it has
// one, and its release. The release depends on the Pod Identity
// association, so that the pods it starts receive credentials.
func newAddon(scope constructs.Construct, id string, spec addonSpec) *Addon {
	c := constructs.NewConstruct(scope, jsii.String(id))
	dependsOn := append([]cdktf.ITerraformDependable{}, spec.cluster.DependsOn...)

	var roleARN *string
	if spec.roleSuffix != "" {
		role := podidentity.NewRole(c, "pod_identity", podidentity.RoleConfig{
			Name:           roleName(spec.cluster.Name, spec.roleSuffix),
			ClusterName:    spec.cluster.NameToken,
			ClusterARN:     spec.cluster.ARN,
			AccountID:      spec.cluster.AccountID,
			Namespace:      spec.namespace,
			ServiceAccount: spec.serviceAccount,
			Policy:         spec.policy,
		})
		roleARN = role.RoleARN
		dependsOn = append(dependsOn, role.Association)
	}

	r := helmrelease.New(c, "release", helmrelease.Config{
		Name:       spec.releaseName,
		Namespace:  spec.namespace,
		Repository: spec.repository,
		Chart:      spec.chart,
		Version:    spec.version,
		Values:     spec.values,
		Provider:   spec.cluster.HelmProvider,
		DependsOn:  dependsOn,
	})

	return &Addon{
		Construct:      c,
		Release:        r,
		Namespace:      spec.namespace,
		ServiceAccount: spec.serviceAccount,
		RoleARN:        roleARN,
	}
}

// roleName returns the IAM role name of an add-on of cluster.
func roleName(cluster, suffix string) string {
	return cluster + "-" + suffix
}

// validateChartVersion rejects a version that is not one exact version.
func validateChartVersion(field, version string) error {
	if !exactVersionPattern.MatchString(version) {
		return fmt.Errorf(`addons: %s: %q is not an exact chart version; pin one such as "1.2.3"`, field, version)
	}
	return nil
}

// validateZoneIDs rejects an empty list, missing entries and literal IDs
// that are not Route 53 hosted zone IDs. Tokens pass.
func validateZoneIDs(field string, zoneIDs []*string) []error {
	if len(zoneIDs) == 0 {
		return []error{fmt.Errorf("addons: %s is empty; pass the hosted zones the add-on may change", field)}
	}
	var errs []error
	seen := map[string]bool{}
	for i, id := range zoneIDs {
		switch {
		case awsid.Missing(id):
			errs = append(errs, fmt.Errorf("addons: %s[%d] is missing; pass a hosted zone ID", field, i))
		case !isLiteral(id):
		case !zoneIDPattern.MatchString(*id):
			errs = append(errs, fmt.Errorf(`addons: %s[%d]: %q is not a Route 53 hosted zone ID; use the bare ID such as "Z0123456789ABCDEFGHIJ"`, field, i, *id))
		case seen[*id]:
			errs = append(errs, fmt.Errorf("addons: %s[%d]: %q is listed twice; remove the duplicate", field, i, *id))
		default:
			seen[*id] = true
		}
	}
	return errs
}

// zoneIDPattern matches a bare Route 53 hosted zone ID, without the
// "/hostedzone/" prefix some APIs return.
var zoneIDPattern = regexp.MustCompile(`^Z[A-Z0-9]{1,31}$`)

// hostedZoneARNs returns the ARNs of zoneIDs.
func (c ClusterInfo) hostedZoneARNs(zoneIDs []*string) []string {
	arns := make([]string, len(zoneIDs))
	for i, id := range zoneIDs {
		arns[i] = c.arn("route53", "", "", "hostedzone/"+*id)
	}
	return arns
}

// isLiteral reports whether s is a plain value known at synth time rather
// than a token of another resource.
func isLiteral(s *string) bool {
	return s != nil && !*cdktf.Token_IsUnresolved(s)
}
