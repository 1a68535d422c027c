package githuboidc

import (
	"errors"
	"fmt"
	"regexp"
	"slices"

	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/iamrole"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/iamrolepolicy"
	"github.com/hashicorp/terraform-cdk-go/cdktf"

	"github.com/honeyhive/platform/constructs/awsid"
	"github.com/honeyhive/platform/constructs/iampolicy"
)

const (
	// DefaultMaxSessionSeconds is the default of RoleConfig.MaxSessionSeconds.
	DefaultMaxSessionSeconds = 3600

	// minSessionSeconds and maxSessionSeconds bound an IAM role's maximum
	// session duration.
	minSessionSeconds = 3600
	maxSessionSeconds = 43200

	// maxTrustPolicyLength is IAM's default quota for the length of a role
	// trust policy, counted without whitespace.
	maxTrustPolicyLength = 2048

	// sampleProviderARN is used in place of a provider ARN that is a token
	// when the trust policy length is estimated. Its partition is the
	// longest of those the platform uses.
	sampleProviderARN = "arn:aws-us-gov:iam::123456789012:oidc-provider/" + issuerHost
)

var (
	roleNamePattern = regexp.MustCompile(`^[\w+=,.@-]{1,64}$`)

	// providerARNPattern matches the ARN of the GitHub Actions OIDC provider
	// in any account and partition.
	providerARNPattern = regexp.MustCompile(`^arn:aws(-[a-z]+)*:iam::[0-9]{12}:oidc-provider/` + regexp.QuoteMeta(issuerHost) + `$`)
)

// RoleConfig configures an IAM role that GitHub Actions workflows of one
// repository assume.
type RoleConfig struct {
	// Name is the IAM role name (required, at most 64 characters).
	Name string

	// ProviderARN is the ARN of the GitHub Actions OIDC provider, usually
	// Provider.ARN (required).
	ProviderARN *string

	// Owner and Repository name the GitHub repository whose workflows may
	// assume the role (required). Both are exact names, compared
	// case-sensitively with the token's sub claim.
	Owner      string
	Repository string

	// Subjects lists the workflow runs of the repository that may assume the
	// role (at least one).
	Subjects []Subject

	// Policy is the role's inline policy (required).
	Policy *iampolicy.Document

	// MaxSessionSeconds is the longest session the role grants, from 3600 to
	// 43200 seconds. Default: 3600.
	MaxSessionSeconds int
}

func (c RoleConfig) withDefaults() RoleConfig {
	if c.MaxSessionSeconds == 0 {
		c.MaxSessionSeconds = DefaultMaxSessionSeconds
	}
	return c
}

// SubjectClaims returns the exact sub claims the role accepts, in the order
// of Subjects.
func (c RoleConfig) SubjectClaims() []string {
	claims := make([]string, len(c.Subjects))
	for i, s := range c.Subjects {
		claims[i] = s.Claim(c.Owner, c.Repository)
	}
	return claims
}

// Validate returns every problem with c, joined, or nil.
func (c RoleConfig) Validate() error {
	var errs []error
	add := func(err error) {
		if err != nil {
			errs = append(errs, err)
		}
	}

	if !roleNamePattern.MatchString(c.Name) {
		add(fmt.Errorf("githuboidc: RoleConfig.Name: %q is not a valid IAM role name; use 1 to 64 letters, digits and +=,.@_- characters", c.Name))
	}
	add(validateProviderARN(c.ProviderARN))
	add(validateOwner("githuboidc: RoleConfig.Owner", c.Owner))
	add(validateRepository("githuboidc: RoleConfig.Repository", c.Repository))
	add(c.validateSubjects())
	add(validatePolicy(c.Policy))
	if c.MaxSessionSeconds < minSessionSeconds || c.MaxSessionSeconds > maxSessionSeconds {
		add(fmt.Errorf("githuboidc: RoleConfig.MaxSessionSeconds: %d is out of range; use %d to %d seconds", c.MaxSessionSeconds, minSessionSeconds, maxSessionSeconds))
	}

	// The length depends on every other field, so it is only meaningful, and
	// the claims only computable, when they are valid.
	if len(errs) == 0 {
		add(c.validateTrustPolicyLength())
	}
	return errors.Join(errs...)
}

func validateProviderARN(arn *string) error {
	if awsid.Missing(arn) {
		return errors.New("githuboidc: RoleConfig.ProviderARN is missing; pass Provider.ARN of the account's GitHub Actions OIDC provider")
	}
	if !*cdktf.Token_IsUnresolved(arn) && !providerARNPattern.MatchString(*arn) {
		return fmt.Errorf("githuboidc: RoleConfig.ProviderARN: %q is not the ARN of a GitHub Actions OIDC provider; use the form %q", *arn, "arn:aws:iam::<account>:oidc-provider/"+issuerHost)
	}
	return nil
}

func (c RoleConfig) validateSubjects() error {
	if len(c.Subjects) == 0 {
		return fmt.Errorf("githuboidc: RoleConfig.Subjects is empty; list the pull requests, environments or branches of %s/%s that may assume the role", c.Owner, c.Repository)
	}
	var errs []error
	for i, s := range c.Subjects {
		field := fmt.Sprintf("githuboidc: RoleConfig.Subjects[%d]", i)
		if err := validateSubject(field, s); err != nil {
			errs = append(errs, err)
			continue
		}
		if first := slices.Index(c.Subjects, s); first < i {
			errs = append(errs, fmt.Errorf("%s repeats Subjects[%d] (%v %q); remove the duplicate", field, first, s.Kind, s.Value))
		}
	}
	return errors.Join(errs...)
}

func validatePolicy(policy *iampolicy.Document) error {
	if policy == nil || len(policy.Statements) == 0 {
		return errors.New("githuboidc: RoleConfig.Policy is missing; set the permissions the workflow needs")
	}
	var errs []error
	for i, s := range policy.Statements {
		if slices.Contains(s.Actions, "*") {
			errs = append(errs, fmt.Errorf("githuboidc: RoleConfig.Policy.Statements[%d] allows the action \"*\"; list the actions the workflow needs", i))
		}
	}
	return errors.Join(errs...)
}

// validateTrustPolicyLength rejects a trust policy that IAM would refuse at
// apply time because it has too many subjects.
//
// NOTE: 2048 characters is IAM's default quota. An account with a raised
// quota could accept more, which this check does not know about.
func (c RoleConfig) validateTrustPolicyLength() error {
	arn := *c.ProviderARN
	if *cdktf.Token_IsUnresolved(c.ProviderARN) {
		arn = sampleProviderARN
	}
	length := len(trustPolicy(arn, c.SubjectClaims()).JSON())
	if length > maxTrustPolicyLength {
		return fmt.Errorf("githuboidc: RoleConfig.Subjects: the trust policy for %d subjects is about %d characters, over IAM's limit of %d; split the subjects across several roles", len(c.Subjects), length, maxTrustPolicyLength)
	}
	return nil
}

// trustPolicy admits web identity tokens of the provider whose audience is
// STSAudience and whose sub claim is one of claims. Both conditions use
// StringEquals, which matches "*" and "?" literally, so no claim outside the
// list can match.
func trustPolicy(providerARN string, claims []string) iampolicy.Document {
	return iampolicy.Document{Statements: []iampolicy.Statement{{
		Sid:       "GitHubActions",
		Principal: map[string][]string{"Federated": {providerARN}},
		Actions:   []string{"sts:AssumeRoleWithWebIdentity"},
		Conditions: map[string]map[string][]string{
			"StringEquals": {
				issuerHost + ":aud": {STSAudience},
				issuerHost + ":sub": claims,
			},
		},
	}}}
}

// Role is an IAM role that GitHub Actions workflows assume with web identity
// tokens.
type Role struct {
	constructs.Construct

	// ARN is the role ARN, for the role-to-assume input of the
	// aws-actions/configure-aws-credentials action.
	ARN *string

	// Name is the role name.
	Name *string
}

// NewRole creates an IAM role trusted by the GitHub Actions OIDC provider
// for the exact subjects of one repository, with cfg.Policy as its inline
// policy. It panics if cfg is invalid.
func NewRole(scope constructs.Construct, id string, cfg RoleConfig) *Role {
	cfg = cfg.withDefaults()
	if err := cfg.Validate(); err != nil {
		panic(err)
	}

	c := constructs.NewConstruct(scope, jsii.String(id))

	trust := trustPolicy(*cfg.ProviderARN, cfg.SubjectClaims())
	role := iamrole.NewIamRole(c, jsii.String("role"), &iamrole.IamRoleConfig{
		Name:               jsii.String(cfg.Name),
		Description:        jsii.String(fmt.Sprintf("GitHub Actions role of %s/%s", cfg.Owner, cfg.Repository)),
		AssumeRolePolicy:   jsii.String(trust.JSON()),
		MaxSessionDuration: jsii.Number(float64(cfg.MaxSessionSeconds)),
		Tags:               &map[string]*string{"Name": jsii.String(cfg.Name)},
	})

	iamrolepolicy.NewIamRolePolicy(c, jsii.String("policy"), &iamrolepolicy.IamRolePolicyConfig{
		Name:   jsii.String(cfg.Name),
		Role:   role.Name(),
		Policy: jsii.String(cfg.Policy.JSON()),
	})

	return &Role{Construct: c, ARN: role.Arn(), Name: role.Name()}
}
