package githuboidc

import (
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/iamopenidconnectprovider"
	"github.com/hashicorp/terraform-cdk-go/cdktf"
)

const (
	// IssuerURL is the issuer of GitHub Actions ID tokens. IAM requires the
	// provider URL to equal the token's iss claim.
	IssuerURL = "https://token.actions.githubusercontent.com"

	// issuerHost prefixes the condition keys of roles that trust the
	// provider, such as "token.actions.githubusercontent.com:sub".
	issuerHost = "token.actions.githubusercontent.com"

	// STSAudience is the audience that the aws-actions/configure-aws-credentials
	// action requests, and the only audience that roles of this package accept.
	STSAudience = "sts.amazonaws.com"

	// maxClientIDs is the IAM limit on client IDs of one OIDC provider.
	maxClientIDs = 100
)

// DefaultClientIDs is the default of ProviderConfig.ClientIDs.
var DefaultClientIDs = []string{STSAudience}

// ProviderConfig configures the GitHub Actions OIDC provider. The zero value
// is valid.
type ProviderConfig struct {
	// ClientIDs are the audiences the provider accepts. Roles of this package
	// require the audience STSAudience, so the list must contain it for them
	// to be assumable. Default: ["sts.amazonaws.com"].
	ClientIDs []string
}

func (c ProviderConfig) withDefaults() ProviderConfig {
	if len(c.ClientIDs) == 0 {
		c.ClientIDs = slices.Clone(DefaultClientIDs)
	}
	return c
}

// Validate returns every problem with c, joined, or nil.
func (c ProviderConfig) Validate() error {
	var errs []error
	if len(c.ClientIDs) == 0 {
		errs = append(errs, fmt.Errorf("githuboidc: ProviderConfig.ClientIDs is empty; list at least %q", STSAudience))
	}
	if len(c.ClientIDs) > maxClientIDs {
		errs = append(errs, fmt.Errorf("githuboidc: ProviderConfig.ClientIDs has %d entries; IAM accepts at most %d, so remove the audiences no workflow uses", len(c.ClientIDs), maxClientIDs))
	}
	for i, id := range c.ClientIDs {
		switch {
		case strings.TrimSpace(id) == "":
			errs = append(errs, fmt.Errorf("githuboidc: ProviderConfig.ClientIDs[%d] is empty; remove it or set an audience such as %q", i, STSAudience))
		case strings.ContainsAny(id, "*?"):
			errs = append(errs, fmt.Errorf("githuboidc: ProviderConfig.ClientIDs[%d]: %q contains a wildcard, which IAM matches literally; list each audience exactly", i, id))
		case slices.Index(c.ClientIDs, id) < i:
			errs = append(errs, fmt.Errorf("githuboidc: ProviderConfig.ClientIDs[%d]: %q is listed twice; remove the duplicate", i, id))
		}
	}
	return errors.Join(errs...)
}

// Provider is the IAM OIDC provider for GitHub Actions tokens.
type Provider struct {
	constructs.Construct

	// ARN is the provider's ARN, for RoleConfig.ProviderARN.
	ARN *string
}

// NewProvider creates the IAM OIDC provider for GitHub Actions tokens. An
// account can contain only one provider per issuer URL, so create it once per
// account and pass its ARN to every role. It panics if cfg is invalid.
//
// The provider has no thumbprint_list because the argument is optional in
// the AWS provider 5.x, including 5.99.1 that the bindings are generated
// from. IAM verifies GitHub's TLS certificate against its own library of
// trusted root certificate authorities and ignores any thumbprint configured
// for GitHub, so a pinned thumbprint would only go stale when GitHub rotates
// its certificate.
//
// The provider has prevent_destroy because every role in the account that
// GitHub workflows assume depends on it, and re-creating it would break
// deployments between the destroy and the create.
func NewProvider(scope constructs.Construct, id string, cfg ProviderConfig) *Provider {
	cfg = cfg.withDefaults()
	if err := cfg.Validate(); err != nil {
		panic(err)
	}

	c := constructs.NewConstruct(scope, jsii.String(id))

	provider := iamopenidconnectprovider.NewIamOpenidConnectProvider(c, jsii.String("provider"), &iamopenidconnectprovider.IamOpenidConnectProviderConfig{
		Url:          jsii.String(IssuerURL),
		ClientIdList: jsii.Strings(cfg.ClientIDs...),
		Tags:         &map[string]*string{"Name": jsii.String("github-actions")},
		Lifecycle:    &cdktf.TerraformResourceLifecycle{PreventDestroy: jsii.Bool(true)},
	})

	return &Provider{Construct: c, ARN: provider.Arn()}
}
