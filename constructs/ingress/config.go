package ingress

import (
	"errors"
	"fmt"
	"regexp"
	"strings"

	"github.com/hashicorp/terraform-cdk-go/cdktf"
)

// DefaultSSLPolicy is the Elastic Load Balancing security policy that
// PublicEntryConfig.SSLPolicy defaults to. It accepts TLS 1.3 only, with
// the TLS 1.3 cipher suites, which all provide forward secrecy.
//
// ELBSecurityPolicy-TLS13-1-2-2021-06 also accepts TLS 1.2 with ECDHE
// suites, including CBC ones. Current browsers and clients built on OpenSSL
// 1.1.1 or later speak TLS 1.3, so the entry point drops TLS 1.2 rather
// than carry the older suites. Clients without TLS 1.3, such as those built
// on OpenSSL 1.0.2, fail the handshake.
const DefaultSSLPolicy = "ELBSecurityPolicy-TLS13-1-3-2021-06"

// DefaultNamespaceSelectorLabel is the label that
// PublicEntryConfig.NamespaceSelectorLabel defaults to. The tenancy package
// sets it on every tenant namespace, and tenants cannot change namespace
// labels, so only the tenants' Ingresses can use the public class.
const DefaultNamespaceSelectorLabel = "platform.honeyhive.ai/tenant"

// tls13OnlyPolicyPrefix starts the names of the TLS 1.3 only security
// policies, such as DefaultSSLPolicy and its FIPS and post-quantum
// variants ELBSecurityPolicy-TLS13-1-3-FIPS-2023-04 and
// ELBSecurityPolicy-TLS13-1-3-PQ-2025-09.
const tls13OnlyPolicyPrefix = "ELBSecurityPolicy-TLS13-1-3-"

// Limits of domain names in text form, in characters, as Route 53 and ACM
// apply them.
const (
	maxDomainNameLength = 253
	maxLabelLength      = 63
)

// maxGroupNameLength is the longest IngressGroup name the AWS Load
// Balancer Controller accepts.
const maxGroupNameLength = 63

// groupNameSuffix follows PublicEntryConfig.Name in the IngressGroup name.
const groupNameSuffix = "-public"

// Limits of a Kubernetes label key, in characters: an optional DNS
// subdomain prefix and a slash, then a name.
const (
	maxLabelKeyPrefixLength = 253
	maxLabelKeyNameLength   = 63
)

// labelKeyNamePattern is the name part of a Kubernetes label key:
// alphanumerics, '-', '_' and '.', starting and ending with an
// alphanumeric.
var labelKeyNamePattern = regexp.MustCompile(`^[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$`)

// labelPattern is one lowercase DNS label: letters, digits and hyphens, with
// no hyphen at either end.
var labelPattern = regexp.MustCompile(`^[a-z0-9]([a-z0-9-]*[a-z0-9])?$`)

// PublicEntryConfig configures the public entry point of one region.
type PublicEntryConfig struct {
	// Domain is the environment's public domain, for example
	// "prod.honeyhive.ai" (required). Its public hosted zone must already
	// exist, because the account-wide stack creates it.
	Domain string

	// RegionCode is the short region name, for example "usw2" (required).
	// The certificate also covers "*.<RegionCode>.<Domain>", the regional
	// names used for failover and for checking one region directly.
	RegionCode string

	// Name prefixes the IngressGroup and the tags, for example "prod-usw2"
	// (required).
	Name string

	// SSLPolicy is the security policy of the HTTPS listener. It must be a
	// TLS 1.3 only policy, whose name starts with
	// "ELBSecurityPolicy-TLS13-1-3-". Default: DefaultSSLPolicy.
	SSLPolicy string

	// NamespaceSelectorLabel is the namespace label key that admits an
	// Ingress to the public class: the controller serves an Ingress of the
	// class only if its namespace carries this label, with any value.
	// Default: DefaultNamespaceSelectorLabel.
	NamespaceSelectorLabel string

	// HelmProvider installs the IngressClass release. Nil uses the stack's
	// default Helm provider.
	HelmProvider cdktf.TerraformProvider

	// DependsOn orders the IngressClass release after these resources,
	// usually the AWS Load Balancer Controller release, which installs the
	// IngressClassParams CRD.
	DependsOn []cdktf.ITerraformDependable
}

// withDefaults returns a copy of c with an empty SSLPolicy set to
// DefaultSSLPolicy and an empty NamespaceSelectorLabel set to
// DefaultNamespaceSelectorLabel.
func (c PublicEntryConfig) withDefaults() PublicEntryConfig {
	if c.SSLPolicy == "" {
		c.SSLPolicy = DefaultSSLPolicy
	}
	if c.NamespaceSelectorLabel == "" {
		c.NamespaceSelectorLabel = DefaultNamespaceSelectorLabel
	}
	return c
}

// Validate returns every problem with c, joined, or nil.
func (c PublicEntryConfig) Validate() error {
	errs := validateDomain(c.Domain)

	switch {
	case c.RegionCode == "":
		errs = append(errs, errors.New(`ingress: PublicEntryConfig.RegionCode is empty; set the short region name, for example "usw2"`))
	case len(c.RegionCode) > maxLabelLength || !labelPattern.MatchString(c.RegionCode):
		errs = append(errs, fmt.Errorf(`ingress: PublicEntryConfig.RegionCode: %q is not a DNS label; use lowercase letters, digits and hyphens, for example "usw2"`, c.RegionCode))
	case len(errs) == 0 && len(regionalWildcard(c.Domain, c.RegionCode)) > maxDomainNameLength:
		errs = append(errs, fmt.Errorf("ingress: PublicEntryConfig.RegionCode: %q makes the certificate name %q longer than %d characters; shorten the domain or the region code",
			c.RegionCode, regionalWildcard(c.Domain, c.RegionCode), maxDomainNameLength))
	}

	switch {
	case c.Name == "":
		errs = append(errs, errors.New(`ingress: PublicEntryConfig.Name is empty; set the environment and region prefix, for example "prod-usw2"`))
	case !labelPattern.MatchString(c.Name):
		errs = append(errs, fmt.Errorf(`ingress: PublicEntryConfig.Name: %q is invalid; use lowercase letters, digits and hyphens, for example "prod-usw2"`, c.Name))
	case len(c.Name+groupNameSuffix) > maxGroupNameLength:
		errs = append(errs, fmt.Errorf("ingress: PublicEntryConfig.Name: %q makes the IngressGroup name %q longer than %d characters; use a shorter name",
			c.Name, c.Name+groupNameSuffix, maxGroupNameLength))
	}

	if !strings.HasPrefix(c.SSLPolicy, tls13OnlyPolicyPrefix) || len(c.SSLPolicy) == len(tls13OnlyPolicyPrefix) {
		errs = append(errs, fmt.Errorf("ingress: PublicEntryConfig.SSLPolicy: %q does not restrict clients to TLS 1.3; use %q or another policy whose name starts with %q",
			c.SSLPolicy, DefaultSSLPolicy, tls13OnlyPolicyPrefix))
	}

	if !isLabelKey(c.NamespaceSelectorLabel) {
		errs = append(errs, fmt.Errorf("ingress: PublicEntryConfig.NamespaceSelectorLabel: %q is not a Kubernetes label key; use an optional DNS subdomain prefix and a slash, then a name, for example %q",
			c.NamespaceSelectorLabel, DefaultNamespaceSelectorLabel))
	}
	return errors.Join(errs...)
}

// isLabelKey reports whether key is a valid Kubernetes label key: a name of
// at most 63 characters, optionally after a lowercase DNS subdomain prefix
// of at most 253 characters and a slash.
func isLabelKey(key string) bool {
	prefix, name, hasPrefix := strings.Cut(key, "/")
	if !hasPrefix {
		prefix, name = "", key
	}
	if len(name) > maxLabelKeyNameLength || !labelKeyNamePattern.MatchString(name) {
		return false
	}
	if !hasPrefix {
		return true
	}
	if len(prefix) > maxLabelKeyPrefixLength {
		return false
	}
	for _, label := range strings.Split(prefix, ".") {
		if len(label) > maxLabelLength || !labelPattern.MatchString(label) {
			return false
		}
	}
	return true
}

// validateDomain checks that domain is a lowercase domain name of at least
// two labels, without a trailing dot, that still fits the DNS limit with
// "*." in front.
func validateDomain(domain string) []error {
	if domain == "" {
		return []error{errors.New(`ingress: PublicEntryConfig.Domain is empty; set the environment's public domain, for example "prod.honeyhive.ai"`)}
	}

	var errs []error
	if len(environmentWildcard(domain)) > maxDomainNameLength {
		errs = append(errs, fmt.Errorf("ingress: PublicEntryConfig.Domain: %q is %d characters; use a domain of at most %d so that %q fits",
			domain, len(domain), maxDomainNameLength-2, "*."+domain))
	}

	labels := strings.Split(domain, ".")
	if len(labels) < 2 {
		errs = append(errs, fmt.Errorf(`ingress: PublicEntryConfig.Domain: %q is a single label; use the environment's domain, for example "prod.honeyhive.ai"`, domain))
	}
	for i, label := range labels {
		switch {
		case label == "":
			errs = append(errs, fmt.Errorf("ingress: PublicEntryConfig.Domain: %q has an empty label at position %d; remove the extra or trailing dot", domain, i))
		case len(label) > maxLabelLength:
			errs = append(errs, fmt.Errorf("ingress: PublicEntryConfig.Domain: label %q of %q is %d characters; shorten it to at most %d", label, domain, len(label), maxLabelLength))
		case !labelPattern.MatchString(label):
			errs = append(errs, fmt.Errorf("ingress: PublicEntryConfig.Domain: label %q of %q is invalid; use lowercase letters, digits and hyphens, with no hyphen at the start or end", label, domain))
		}
	}
	return errs
}

// environmentWildcard returns the certificate's primary name, which covers
// every service name directly under the environment's domain.
func environmentWildcard(domain string) string {
	return "*." + domain
}

// regionalWildcard returns the certificate's alternative name, which covers
// the names of one region.
func regionalWildcard(domain, regionCode string) string {
	return "*." + regionCode + "." + domain
}
