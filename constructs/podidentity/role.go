package podidentity

import (
	"errors"
	"fmt"
	"regexp"

	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/ekspodidentityassociation"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/iamrole"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/iamrolepolicy"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/iamrolepolicyattachment"

	"github.com/honeyhive/platform/constructs/awsid"
	"github.com/honeyhive/platform/constructs/iampolicy"
)

// RoleConfig configures a Pod Identity role.
type RoleConfig struct {
	// Name is the IAM role name (required, at most 64 characters).
	Name string

	// ClusterName and ClusterARN identify the cluster, usually as tokens of
	// the aws_eks_cluster resource so the association waits for the cluster.
	ClusterName *string
	ClusterARN  *string

	// AccountID is the cluster's account; the trust policy admits only Pod
	// Identity sessions from it.
	AccountID string

	// Namespace and ServiceAccount name the Kubernetes service account that
	// may assume the role (required).
	Namespace      string
	ServiceAccount string

	// Policy is the role's inline policy. Optional when ManagedPolicyARNs is
	// set.
	Policy *iampolicy.Document

	// ManagedPolicyARNs are attached as they are, for AWS-maintained policies
	// such as the EBS CSI driver's.
	ManagedPolicyARNs []string
}

var (
	roleName  = regexp.MustCompile(`^[\w+=,.@-]{1,64}$`)
	k8sName   = regexp.MustCompile(`^[a-z0-9]([-a-z0-9]*[a-z0-9])?$`)
	policyARN = regexp.MustCompile(`^arn:aws[a-z-]*:iam::(aws|\d{12}):policy/.+$`)
)

// Validate returns every problem with c, joined, or nil.
func (c RoleConfig) Validate() error {
	var errs []error
	if !roleName.MatchString(c.Name) {
		errs = append(errs, fmt.Errorf("podidentity: RoleConfig.Name %q is not a valid IAM role name; use 1 to 64 letters, digits and +=,.@_- characters", c.Name))
	}
	if c.ClusterName == nil || c.ClusterARN == nil {
		errs = append(errs, errors.New("podidentity: RoleConfig.ClusterName and ClusterARN are required; pass the cluster resource's name and ARN"))
	}
	if err := awsid.AccountID("podidentity: RoleConfig.AccountID", c.AccountID); err != nil {
		errs = append(errs, err)
	}
	if len(c.Namespace) > 63 || !k8sName.MatchString(c.Namespace) {
		errs = append(errs, fmt.Errorf("podidentity: RoleConfig.Namespace %q is not a valid Kubernetes namespace name", c.Namespace))
	}
	if len(c.ServiceAccount) > 253 || !k8sName.MatchString(c.ServiceAccount) {
		errs = append(errs, fmt.Errorf("podidentity: RoleConfig.ServiceAccount %q is not a valid service account name", c.ServiceAccount))
	}
	if c.Policy == nil && len(c.ManagedPolicyARNs) == 0 {
		errs = append(errs, errors.New("podidentity: RoleConfig needs a Policy or ManagedPolicyARNs; a role without permissions has no use"))
	}
	for i, arn := range c.ManagedPolicyARNs {
		if !policyARN.MatchString(arn) {
			errs = append(errs, fmt.Errorf("podidentity: RoleConfig.ManagedPolicyARNs[%d] %q is not an IAM policy ARN", i, arn))
		}
	}
	return errors.Join(errs...)
}

// Role is an IAM role bound to one service account by a Pod Identity
// association.
type Role struct {
	constructs.Construct

	RoleARN       *string
	RoleName      *string
	AssociationID *string

	// Association is the Pod Identity association, for resources that must
	// wait until the service account can assume the role.
	Association ekspodidentityassociation.EksPodIdentityAssociation
}

// NewRole creates the role, its permissions and the Pod Identity
// association. It panics if cfg is invalid.
//
// The trust policy admits only the EKS Pod Identity service (which needs
// sts:TagSession to attach the session tags that identify the pod), and only
// for this cluster and account, so another cluster cannot use a role even
// with its ARN.
func NewRole(scope constructs.Construct, id string, cfg RoleConfig) *Role {
	if err := cfg.Validate(); err != nil {
		panic(err)
	}

	c := constructs.NewConstruct(scope, jsii.String(id))

	trust := iampolicy.Document{Statements: []iampolicy.Statement{{
		Sid:       "EKSPodIdentity",
		Principal: map[string][]string{"Service": {"pods.eks.amazonaws.com"}},
		Actions:   []string{"sts:AssumeRole", "sts:TagSession"},
		Conditions: map[string]map[string][]string{
			"StringEquals": {"aws:SourceAccount": {cfg.AccountID}},
			"ArnEquals":    {"aws:SourceArn": {*cfg.ClusterARN}},
		},
	}}}
	role := iamrole.NewIamRole(c, jsii.String("role"), &iamrole.IamRoleConfig{
		Name:             jsii.String(cfg.Name),
		Description:      jsii.String(fmt.Sprintf("Pod Identity role of %s/%s", cfg.Namespace, cfg.ServiceAccount)),
		AssumeRolePolicy: jsii.String(trust.JSON()),
		Tags:             &map[string]*string{"Name": jsii.String(cfg.Name)},
	})

	if cfg.Policy != nil {
		iamrolepolicy.NewIamRolePolicy(c, jsii.String("policy"), &iamrolepolicy.IamRolePolicyConfig{
			Name:   jsii.String(cfg.Name),
			Role:   role.Name(),
			Policy: jsii.String(cfg.Policy.JSON()),
		})
	}
	for i, arn := range cfg.ManagedPolicyARNs {
		iamrolepolicyattachment.NewIamRolePolicyAttachment(c, jsii.String(fmt.Sprintf("managed_policy_%d", i)), &iamrolepolicyattachment.IamRolePolicyAttachmentConfig{
			Role:      role.Name(),
			PolicyArn: jsii.String(arn),
		})
	}

	association := ekspodidentityassociation.NewEksPodIdentityAssociation(c, jsii.String("association"), &ekspodidentityassociation.EksPodIdentityAssociationConfig{
		ClusterName:    cfg.ClusterName,
		Namespace:      jsii.String(cfg.Namespace),
		ServiceAccount: jsii.String(cfg.ServiceAccount),
		RoleArn:        role.Arn(),
	})

	return &Role{
		Construct:     c,
		RoleARN:       role.Arn(),
		RoleName:      role.Name(),
		AssociationID: association.AssociationId(),
		Association:   association,
	}
}
