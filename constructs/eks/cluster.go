package eks

import (
	"errors"
	"fmt"
	"net/netip"

	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/cloudwatchloggroup"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/eksaccessentry"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/eksaccesspolicyassociation"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/ekscluster"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/iamrole"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/iamrolepolicy"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/iamrolepolicyattachment"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/vpcsecuritygroupingressrule"
	"github.com/hashicorp/terraform-cdk-go/cdktf"

	"github.com/honeyhive/platform/constructs/awsid"
	"github.com/honeyhive/platform/constructs/iampolicy"
)

// DefaultPartition is the default of ClusterConfig.Partition and
// AddonsConfig.Partition.
const DefaultPartition = "aws"

// ClusterLogTypes are the control-plane log types the cluster sends to
// CloudWatch Logs: all five that EKS offers.
var ClusterLogTypes = []string{"api", "audit", "authenticator", "controllerManager", "scheduler"}

const (
	// clusterRoleSuffix ends the name of the cluster IAM role.
	clusterRoleSuffix = "-cluster"

	// maxClusterNameLength keeps "<Name>-cluster" within the 64 characters
	// IAM allows in a role name. EKS itself allows 100.
	maxClusterNameLength = 64 - len(clusterRoleSuffix)

	minControlPlaneSubnets = 2
)

// ClusterConfig configures NewCluster.
type ClusterConfig struct {
	// Name is the cluster name, such as "prod-usw2". Letters, digits, "-"
	// and "_", starting with a letter or digit, at most 56 characters so that
	// the cluster role name fits IAM's limit. Required.
	Name string

	// Version is the Kubernetes minor version, a key of SupportedVersions.
	// Required.
	Version string

	// AccountID is the 12-digit account of the cluster. The cluster role's
	// trust policy admits EKS only on behalf of this account. Required.
	AccountID string

	// Region is the region of the cluster, such as "us-west-2". Required.
	Region string

	// Partition is the AWS partition. Default: DefaultPartition.
	Partition string

	// ControlPlaneSubnetIDs are the intra subnets where EKS places the
	// control plane's network interfaces, in at least two Availability Zones.
	// Required, at least 2.
	ControlPlaneSubnetIDs []*string

	// SecretsKMSKeyARN is the customer-managed key for envelope encryption of
	// Kubernetes secrets. Required.
	SecretsKMSKeyARN *string

	// LogsKMSKeyARN is the customer-managed key of the control-plane log
	// group. Its key policy must let CloudWatch Logs use it. Required.
	LogsKMSKeyARN *string

	// LogRetentionDays is how long CloudWatch Logs keeps control-plane logs,
	// one of the periods CloudWatch Logs accepts (1, 3, 5, 7, 14, 30, 60, 90,
	// ..., 3653). Required.
	LogRetentionDays int

	// PublicAccessCIDRs are the only ranges allowed to reach the public API
	// endpoint. Default: empty, which turns the public endpoint off. A range
	// of prefix length 0 (0.0.0.0/0, ::/0) is rejected.
	PublicAccessCIDRs []string

	// APIAccessSecurityGroupIDs are security groups, such as the Twingate
	// connectors', whose members may reach the private API endpoint on TCP
	// 443. Optional.
	APIAccessSecurityGroupIDs []*string

	// DeployRoleARN is the CI deploy role. It gets a cluster-admin access
	// entry. Required.
	DeployRoleARN string

	// AdminRoleARNs are the human administrator roles. Each gets a
	// cluster-admin access entry. Required, at least one.
	AdminRoleARNs []string

	// ViewerRoleARNs get a view-only access entry on the whole cluster: they
	// can read most objects but not Secrets, and change nothing. Optional.
	ViewerRoleARNs []string

	// AdminViewerRoleARNs get an access entry that reads every object,
	// Secrets included, and changes nothing: what Terraform plans need to
	// read Helm releases, which Helm keeps in Secrets. Optional.
	AdminViewerRoleARNs []string
}

func (c ClusterConfig) withDefaults() ClusterConfig {
	if c.Partition == "" {
		c.Partition = DefaultPartition
	}
	return c
}

// Validate returns every problem with the configuration, joined, or nil.
func (c ClusterConfig) Validate() error {
	var errs []error
	errs = append(errs, c.validateIdentity()...)
	errs = append(errs, c.validateNetwork()...)
	errs = append(errs, c.validateAccess()...)

	if err := awsid.KMSKeyARN("eks: ClusterConfig.SecretsKMSKeyARN", c.SecretsKMSKeyARN); err != nil {
		errs = append(errs, err)
	}
	if err := awsid.KMSKeyARN("eks: ClusterConfig.LogsKMSKeyARN", c.LogsKMSKeyARN); err != nil {
		errs = append(errs, err)
	}
	if err := awsid.LogRetentionDays("eks: ClusterConfig.LogRetentionDays", c.LogRetentionDays); err != nil {
		errs = append(errs, err)
	}
	return errors.Join(errs...)
}

// validateIdentity checks the name, version, account, region and partition.
func (c ClusterConfig) validateIdentity() []error {
	var errs []error
	switch {
	case c.Name == "":
		errs = append(errs, errors.New(`eks: ClusterConfig.Name is missing; set a cluster name such as "prod-usw2"`))
	case len(c.Name) > maxClusterNameLength:
		errs = append(errs, fmt.Errorf("eks: ClusterConfig.Name: %q is %d characters long; use at most %d so the cluster role name %q fits IAM's 64 characters",
			c.Name, len(c.Name), maxClusterNameLength, c.Name+clusterRoleSuffix))
	case !eksNamePattern.MatchString(c.Name):
		errs = append(errs, fmt.Errorf(`eks: ClusterConfig.Name: %q is not a valid EKS cluster name; use letters, digits, "-" and "_", starting with a letter or digit`, c.Name))
	}

	if _, ok := SupportedVersions[c.Version]; !ok {
		errs = append(errs, fmt.Errorf("eks: ClusterConfig.Version: %q is not a supported Kubernetes version; use one of %s", c.Version, supportedVersionsText()))
	}
	if err := awsid.AccountID("eks: ClusterConfig.AccountID", c.AccountID); err != nil {
		errs = append(errs, err)
	}
	if err := awsid.Region("eks: ClusterConfig.Region", c.Region); err != nil {
		errs = append(errs, err)
	}
	if err := awsid.Partition("eks: ClusterConfig.Partition", c.Partition, supportedPartitions...); err != nil {
		errs = append(errs, err)
	}
	return errs
}

// validateNetwork checks the subnets, the public endpoint ranges and the
// security groups admitted to the private endpoint.
func (c ClusterConfig) validateNetwork() []error {
	var errs []error
	if len(c.ControlPlaneSubnetIDs) < minControlPlaneSubnets {
		errs = append(errs, fmt.Errorf("eks: ClusterConfig.ControlPlaneSubnetIDs has %d subnets; EKS needs at least %d, in different Availability Zones",
			len(c.ControlPlaneSubnetIDs), minControlPlaneSubnets))
	}
	errs = append(errs, validateIDs("ClusterConfig.ControlPlaneSubnetIDs", c.ControlPlaneSubnetIDs, "subnet-", "subnet")...)

	for i, cidr := range c.PublicAccessCIDRs {
		field := fmt.Sprintf("ClusterConfig.PublicAccessCIDRs[%d]", i)
		prefix, err := netip.ParsePrefix(cidr)
		switch {
		case err != nil:
			errs = append(errs, fmt.Errorf(`eks: %s: %q is not a CIDR range; use a form such as "203.0.113.0/24"`, field, cidr))
		case prefix.Bits() == 0:
			errs = append(errs, fmt.Errorf("eks: %s: %q opens the cluster API to the whole internet; list the office or VPN egress ranges instead", field, cidr))
		case prefix.Masked() != prefix:
			errs = append(errs, fmt.Errorf("eks: %s: %q has host bits set; use %q", field, cidr, prefix.Masked()))
		}
	}

	errs = append(errs, validateIDs("ClusterConfig.APIAccessSecurityGroupIDs", c.APIAccessSecurityGroupIDs, "sg-", "security group")...)
	return errs
}

// validateAccess checks the roles that get access entries.
func (c ClusterConfig) validateAccess() []error {
	var errs []error
	if c.DeployRoleARN == "" {
		errs = append(errs, errors.New("eks: ClusterConfig.DeployRoleARN is missing; pass the ARN of the CI deploy role"))
	} else if err := awsid.RoleARN("eks: ClusterConfig.DeployRoleARN", c.DeployRoleARN, c.Partition); err != nil {
		errs = append(errs, err)
	}

	if len(c.AdminRoleARNs) == 0 {
		errs = append(errs, errors.New("eks: ClusterConfig.AdminRoleARNs is empty; list at least one administrator role so the cluster is reachable without the deploy role"))
	}
	seen := map[string]string{c.DeployRoleARN: "DeployRoleARN"}
	for i, arn := range c.AdminRoleARNs {
		errs = append(errs, checkUniqueRole(seen, fmt.Sprintf("AdminRoleARNs[%d]", i), arn, c.Partition)...)
	}
	for i, arn := range c.ViewerRoleARNs {
		errs = append(errs, checkUniqueRole(seen, fmt.Sprintf("ViewerRoleARNs[%d]", i), arn, c.Partition)...)
	}
	for i, arn := range c.AdminViewerRoleARNs {
		errs = append(errs, checkUniqueRole(seen, fmt.Sprintf("AdminViewerRoleARNs[%d]", i), arn, c.Partition)...)
	}
	return errs
}

// checkUniqueRole checks that arn is a role ARN that no other access entry
// of the cluster names, and records it in seen.
func checkUniqueRole(seen map[string]string, name, arn, partition string) []error {
	field := "ClusterConfig." + name
	if err := awsid.RoleARN("eks: "+field, arn, partition); err != nil {
		return []error{err}
	}
	// EKS allows one access entry per principal.
	if other, ok := seen[arn]; ok {
		return []error{fmt.Errorf("eks: %s: %q is already listed as %s; list each role once", field, arn, other)}
	}
	seen[arn] = name
	return nil
}

// Cluster is an EKS cluster with a private API endpoint, encrypted secrets,
// every control-plane log type, and access granted only through access
// entries.
type Cluster struct {
	constructs.Construct

	// Name is the cluster name, a token so that users wait for the cluster.
	Name *string
	// ARN is the cluster ARN.
	ARN *string
	// Endpoint is the URL of the Kubernetes API server.
	Endpoint *string
	// CertificateAuthorityData is the cluster CA certificate, base64-encoded
	// as EKS returns it.
	CertificateAuthorityData *string
	// Version is the Kubernetes minor version, known at synth time.
	Version string

	// ClusterSecurityGroupID is the security group EKS creates for the
	// cluster. EKS attaches it to the control-plane network interfaces and
	// to the nodes of managed node groups.
	ClusterSecurityGroupID *string

	// OIDCIssuerURL is the cluster's OpenID Connect issuer.
	OIDCIssuerURL *string

	// RoleARN is the cluster IAM role.
	RoleARN *string

	// LogGroupName is the control-plane log group, "/aws/eks/<Name>/cluster".
	LogGroupName *string

	// Resource is the aws_eks_cluster resource.
	Resource ekscluster.EksCluster

	// AccessEntries are the access entries and their policy associations.
	// Resources that call the Kubernetes API, such as providers' first
	// users, should depend on them, because the cluster grants no access
	// until they exist.
	AccessEntries []cdktf.ITerraformDependable
}

// NewCluster creates the cluster, its IAM role and control-plane log group,
// cluster-admin access entries for the deploy and administrator roles, and
// ingress rules that admit cfg.APIAccessSecurityGroupIDs to the API. It
// panics if cfg is invalid after defaults are applied.
//
// Choices that the resource attributes do not explain:
//
//   - The log group is created before the cluster. EKS would otherwise create
//     "/aws/eks/<name>/cluster" itself on first use, unencrypted and without
//     expiry.
//   - Access uses access entries only (authentication mode "API"), and the
//     identity that creates the cluster gets no implicit admin access, so
//     who can reach the cluster never depends on who ran the first deploy.
//   - EKS installs no self-managed add-ons. The managed add-ons are
//     installed by NewAddons, at pinned versions.
//   - The cluster is protected by prevent_destroy, because changing an
//     attribute that forces replacement, such as the subnets, would delete
//     it and everything running on it.
func NewCluster(scope constructs.Construct, id string, cfg ClusterConfig) *Cluster {
	cfg = cfg.withDefaults()
	if err := cfg.Validate(); err != nil {
		panic(err)
	}

	c := constructs.NewConstruct(scope, jsii.String(id))

	role, roleDependencies := newClusterRole(c, cfg)

	logGroup := cloudwatchloggroup.NewCloudwatchLogGroup(c, jsii.String("log_group"), &cloudwatchloggroup.CloudwatchLogGroupConfig{
		// EKS writes to this exact name; it cannot be changed.
		Name:            jsii.String(fmt.Sprintf("/aws/eks/%s/cluster", cfg.Name)),
		KmsKeyId:        cfg.LogsKMSKeyARN,
		RetentionInDays: jsii.Number(float64(cfg.LogRetentionDays)),
		Lifecycle:       &cdktf.TerraformResourceLifecycle{PreventDestroy: jsii.Bool(true)},
	})

	vpcConfig := &ekscluster.EksClusterVpcConfig{
		SubnetIds:             &cfg.ControlPlaneSubnetIDs,
		EndpointPrivateAccess: jsii.Bool(true),
		EndpointPublicAccess:  jsii.Bool(len(cfg.PublicAccessCIDRs) > 0),
	}
	if len(cfg.PublicAccessCIDRs) > 0 {
		vpcConfig.PublicAccessCidrs = jsii.Strings(cfg.PublicAccessCIDRs...)
	}

	cluster := ekscluster.NewEksCluster(c, jsii.String("cluster"), &ekscluster.EksClusterConfig{
		Name:      jsii.String(cfg.Name),
		Version:   jsii.String(cfg.Version),
		RoleArn:   role.Arn(),
		VpcConfig: vpcConfig,
		EncryptionConfig: &ekscluster.EksClusterEncryptionConfig{
			Resources: jsii.Strings("secrets"),
			Provider:  &ekscluster.EksClusterEncryptionConfigProvider{KeyArn: cfg.SecretsKMSKeyARN},
		},
		EnabledClusterLogTypes: jsii.Strings(ClusterLogTypes...),
		AccessConfig: &ekscluster.EksClusterAccessConfig{
			AuthenticationMode:                      jsii.String("API"),
			BootstrapClusterCreatorAdminPermissions: jsii.Bool(false),
		},
		BootstrapSelfManagedAddons: jsii.Bool(false),
		// STANDARD makes EKS upgrade the control plane automatically when
		// standard support ends, instead of charging for extended support.
		UpgradePolicy: &ekscluster.EksClusterUpgradePolicy{SupportType: jsii.String("STANDARD")},
		Tags:          &map[string]*string{"Name": jsii.String(cfg.Name)},
		Lifecycle:     &cdktf.TerraformResourceLifecycle{PreventDestroy: jsii.Bool(true)},
		// The role's policies must be in place before EKS uses the role, and
		// must stay until the cluster is gone.
		DependsOn: &[]cdktf.ITerraformDependable{logGroup, roleDependencies[0], roleDependencies[1]},
	})

	clusterSecurityGroupID := cluster.VpcConfig().ClusterSecurityGroupId()
	for i, groupID := range cfg.APIAccessSecurityGroupIDs {
		vpcsecuritygroupingressrule.NewVpcSecurityGroupIngressRule(c, jsii.String(fmt.Sprintf("api_access_%d", i)), &vpcsecuritygroupingressrule.VpcSecurityGroupIngressRuleConfig{
			SecurityGroupId:           clusterSecurityGroupID,
			ReferencedSecurityGroupId: groupID,
			IpProtocol:                jsii.String("tcp"),
			FromPort:                  jsii.Number(443),
			ToPort:                    jsii.Number(443),
			Description:               jsii.String("Kubernetes API of " + cfg.Name),
			Tags:                      &map[string]*string{"Name": jsii.String(fmt.Sprintf("%s-api-access-%d", cfg.Name, i))},
		})
	}

	return &Cluster{
		Construct:                c,
		Name:                     cluster.Name(),
		ARN:                      cluster.Arn(),
		Endpoint:                 cluster.Endpoint(),
		CertificateAuthorityData: cluster.CertificateAuthority().Get(jsii.Number(0)).Data(),
		Version:                  cfg.Version,
		ClusterSecurityGroupID:   clusterSecurityGroupID,
		OIDCIssuerURL:            cluster.Identity().Get(jsii.Number(0)).Oidc().Get(jsii.Number(0)).Issuer(),
		RoleARN:                  role.Arn(),
		LogGroupName:             logGroup.Name(),
		Resource:                 cluster,
		AccessEntries:            newAccessEntries(c, cluster, cfg),
	}
}

// newClusterRole creates the role the EKS control plane assumes and returns
// it with the two resources that give it permissions.
func newClusterRole(scope constructs.Construct, cfg ClusterConfig) (iamrole.IamRole, [2]cdktf.ITerraformDependable) {
	// EKS tags its sessions (sts:TagSession), and the source account
	// condition keeps another account's cluster from using this role.
	trust := iampolicy.Document{Statements: []iampolicy.Statement{{
		Sid:        "EKSControlPlane",
		Principal:  map[string][]string{"Service": {"eks.amazonaws.com"}},
		Actions:    []string{"sts:AssumeRole", "sts:TagSession"},
		Conditions: map[string]map[string][]string{"StringEquals": {"aws:SourceAccount": {cfg.AccountID}}},
	}}}
	role := iamrole.NewIamRole(scope, jsii.String("cluster_role"), &iamrole.IamRoleConfig{
		Name:             jsii.String(cfg.Name + clusterRoleSuffix),
		Description:      jsii.String("EKS control plane of " + cfg.Name),
		AssumeRolePolicy: jsii.String(trust.JSON()),
		Tags:             &map[string]*string{"Name": jsii.String(cfg.Name + clusterRoleSuffix)},
	})

	managed := iamrolepolicyattachment.NewIamRolePolicyAttachment(scope, jsii.String("cluster_role_policy"), &iamrolepolicyattachment.IamRolePolicyAttachmentConfig{
		Role:      role.Name(),
		PolicyArn: jsii.String(fmt.Sprintf("arn:%s:iam::aws:policy/AmazonEKSClusterPolicy", cfg.Partition)),
	})

	// A kms.PurposeCluster key policy leaves use of the key to IAM policies
	// in the account, limited to calls through EKS, so the role gets the
	// actions EKS needs for envelope encryption, on this key only.
	encryption := iampolicy.Document{Statements: []iampolicy.Statement{{
		Sid:       "EnvelopeEncryption",
		Actions:   []string{"kms:Encrypt", "kms:Decrypt", "kms:ListGrants", "kms:DescribeKey"},
		Resources: []string{*cfg.SecretsKMSKeyARN},
	}}}
	inline := iamrolepolicy.NewIamRolePolicy(scope, jsii.String("cluster_role_encryption"), &iamrolepolicy.IamRolePolicyConfig{
		Name:   jsii.String(cfg.Name + "-cluster-encryption"),
		Role:   role.Name(),
		Policy: jsii.String(encryption.JSON()),
	})

	return role, [2]cdktf.ITerraformDependable{managed, inline}
}

// clusterAdminPolicy is the EKS access policy that grants cluster-admin.
const clusterAdminPolicy = "AmazonEKSClusterAdminPolicy"

// clusterViewPolicy is the EKS access policy that grants read access to
// most objects, Secrets excluded.
const clusterViewPolicy = "AmazonEKSViewPolicy"

// clusterAdminViewPolicy is the EKS access policy that grants read access
// to every object, Secrets included.
const clusterAdminViewPolicy = "AmazonEKSAdminViewPolicy"

// newAccessEntries gives the deploy role and each administrator role a
// STANDARD access entry with the cluster-admin access policy on the whole
// cluster, and each viewer role one with the view policy. It returns the
// entries and associations.
func newAccessEntries(scope constructs.Construct, cluster ekscluster.EksCluster, cfg ClusterConfig) []cdktf.ITerraformDependable {
	type principal struct {
		suffix string // of the construct IDs
		arn    string
		policy string
	}
	principals := []principal{{suffix: "deploy", arn: cfg.DeployRoleARN, policy: clusterAdminPolicy}}
	for i, arn := range cfg.AdminRoleARNs {
		principals = append(principals, principal{suffix: fmt.Sprintf("admin_%d", i), arn: arn, policy: clusterAdminPolicy})
	}
	for i, arn := range cfg.ViewerRoleARNs {
		principals = append(principals, principal{suffix: fmt.Sprintf("viewer_%d", i), arn: arn, policy: clusterViewPolicy})
	}
	for i, arn := range cfg.AdminViewerRoleARNs {
		principals = append(principals, principal{suffix: fmt.Sprintf("admin_viewer_%d", i), arn: arn, policy: clusterAdminViewPolicy})
	}

	var created []cdktf.ITerraformDependable
	for _, p := range principals {
		entry := eksaccessentry.NewEksAccessEntry(scope, jsii.String("access_entry_"+p.suffix), &eksaccessentry.EksAccessEntryConfig{
			ClusterName:  cluster.Name(),
			PrincipalArn: jsii.String(p.arn),
			Type:         jsii.String("STANDARD"),
		})
		association := eksaccesspolicyassociation.NewEksAccessPolicyAssociation(scope, jsii.String("access_policy_"+p.suffix), &eksaccesspolicyassociation.EksAccessPolicyAssociationConfig{
			ClusterName:  cluster.Name(),
			PrincipalArn: entry.PrincipalArn(),
			PolicyArn:    jsii.String(fmt.Sprintf("arn:%s:eks::aws:cluster-access-policy/%s", cfg.Partition, p.policy)),
			AccessScope:  &eksaccesspolicyassociation.EksAccessPolicyAssociationAccessScope{Type: jsii.String("cluster")},
		})
		created = append(created, entry, association)
	}
	return created
}
