package environments

import (
	"errors"
	"fmt"
	"net/netip"
	"regexp"
	"slices"
	"strings"
)

// FieldError is one problem with one field of one environment, or of one
// orchestration definition that several environments share.
type FieldError struct {
	// Environment is the name of the environment, as written in its
	// definition, even when that name is itself the problem. It is empty
	// for a problem in an orchestration definition.
	Environment string

	// Orchestration is the name of the orchestration definition with the
	// problem, for a problem in the shared Accounts.Orchestration settings.
	// Such a problem is reported once, not once per environment.
	Orchestration string

	// UsedBy names the environments that use Orchestration. It is set
	// exactly when the problem is in an orchestration definition, even one
	// whose name is empty.
	UsedBy []string

	// Field is the Go path of the field from Environment, for example
	// "Regions[1].VPCCIDR" or "Accounts.Orchestration.HomeRegion".
	Field string

	// Problem describes what is wrong, with the offending value.
	Problem string

	// Fix describes the change that resolves the problem.
	Fix string
}

func (e *FieldError) Error() string {
	if len(e.UsedBy) > 0 {
		return fmt.Sprintf("orchestration %q (used by environments %s), field %s: %s. Fix: %s",
			e.Orchestration, quoteList(e.UsedBy), e.Field, e.Problem, e.Fix)
	}
	return fmt.Sprintf("environment %q, field %s: %s. Fix: %s", e.Environment, e.Field, e.Problem, e.Fix)
}

var (
	// stackNamePart is what an environment or orchestration name may be: it
	// becomes part of stack names, state keys, S3 bucket names and AWS
	// resource names, so it keeps to lowercase letters, digits and single
	// hyphens.
	stackNamePart = regexp.MustCompile(`^[a-z][a-z0-9]*(-[a-z0-9]+)*$`)

	accountID = regexp.MustCompile(`^[0-9]{12}$`)

	// iamRoleName follows the IAM CreateRole RoleName pattern.
	iamRoleName = regexp.MustCompile(`^[\w+=,.@-]{1,64}$`)

	dnsLabel = regexp.MustCompile(`^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$`)

	bucketPrefix = regexp.MustCompile(`^[a-z0-9][a-z0-9-]*[a-z0-9]$`)

	dynamoDBTableName = regexp.MustCompile(`^[a-zA-Z0-9_.-]{3,255}$`)

	twingateNetwork = regexp.MustCompile(`^[a-z0-9][a-z0-9-]*$`)

	keyPlaceholder = regexp.MustCompile(`\{[^}]*\}`)

	kubernetesVersion = regexp.MustCompile(`^1\.[0-9]{2}$`)

	instanceFamily = regexp.MustCompile(`^[a-z]+[0-9][a-z0-9-]*$`)
)

const maxNameLength = 20

// ReservedGitHubEnvironment is the GitHub environment of pull-request
// plans. Each environment deploys from the GitHub environment of its own
// name, so none may take this one.
const ReservedGitHubEnvironment = "plan"

// maxDomainNameLength is the DNS limit on a name in text form: 253
// characters take the 255 octets the wire format allows.
const maxDomainNameLength = 253

// privateRanges are the RFC 1918 ranges a VPC may use.
var privateRanges = []netip.Prefix{
	netip.MustParsePrefix("10.0.0.0/8"),
	netip.MustParsePrefix("172.16.0.0/12"),
	netip.MustParsePrefix("192.168.0.0/16"),
}

// Validate checks every environment and the rules that span environments
// (unique names, non-overlapping VPC ranges, one definition per orchestration
// account). It returns nil or an error joining one *FieldError per problem,
// so a caller can report every problem at once.
func Validate(envs []Environment) error {
	var v validator
	for _, env := range envs {
		v.environment(env)
	}
	for _, use := range orchestrationUses(envs) {
		v.orchestration(use)
	}
	v.acrossEnvironments(envs)
	v.hybridPairs(envs)
	return errors.Join(v.errs...)
}

type validator struct {
	errs []error
}

// reporter adds a FieldError about one field to the validator. Checks that
// apply to environments and orchestration definitions alike take one.
type reporter func(field, fix, problem string, args ...any)

func (v *validator) add(env, field, fix, problem string, args ...any) {
	v.errs = append(v.errs, &FieldError{
		Environment: env,
		Field:       field,
		Problem:     fmt.Sprintf(problem, args...),
		Fix:         fix,
	})
}

func (v *validator) forEnvironment(env string) reporter {
	return func(field, fix, problem string, args ...any) {
		v.add(env, field, fix, problem, args...)
	}
}

func (v *validator) forOrchestration(use orchestrationUse) reporter {
	return func(field, fix, problem string, args ...any) {
		v.errs = append(v.errs, &FieldError{
			Orchestration: use.definition.Name,
			UsedBy:        use.environments,
			Field:         field,
			Problem:       fmt.Sprintf(problem, args...),
			Fix:           fix,
		})
	}
}

// orchestrationUse is one distinct orchestration definition and the
// environments that use it.
type orchestrationUse struct {
	definition   Orchestration
	environments []string
}

// orchestrationUses groups envs by identical orchestration definitions, in
// order of first use, so that each definition is validated once.
func orchestrationUses(envs []Environment) []orchestrationUse {
	var uses []orchestrationUse
	index := map[Orchestration]int{}
	for _, e := range envs {
		o := e.Accounts.Orchestration
		i, seen := index[o]
		if !seen {
			i = len(uses)
			index[o] = i
			uses = append(uses, orchestrationUse{definition: o})
		}
		uses[i].environments = append(uses[i].environments, e.Name)
	}
	return uses
}

func (v *validator) environment(e Environment) {
	if !validNamePart(e.Name) {
		v.add(e.Name, "Name", "use 1 to 20 lowercase letters, digits and single hyphens, starting with a letter, for example \"prod\" or \"acme-eu\"",
			"%q cannot form a stack name", e.Name)
	}
	if e.Name == ReservedGitHubEnvironment {
		v.add(e.Name, "Name", "choose another name",
			"%q is the GitHub environment of pull-request plans, so its deploy role would trust the plan jobs", e.Name)
	}

	if !slices.Contains(patterns, e.Pattern) {
		v.add(e.Name, "Pattern", "use one of "+quoteList(patterns), "unknown deployment pattern %q", e.Pattern)
	}

	if !slices.Contains(tiers, e.Tier) {
		v.add(e.Name, "Tier", "use one of "+quoteList(tiers), "unknown tier %q", e.Tier)
	}

	if e.CostCentre == "" || len(e.CostCentre) > 256 {
		v.add(e.Name, "CostCentre", "set a cost centre of 1 to 256 characters; it is written to every resource's cost-centre tag",
			"cost centre %q is empty or too long", e.CostCentre)
	}

	v.account(v.forEnvironment(e.Name), "Accounts.Target", e.Accounts.Target)
	if target := e.Accounts.Target.ID; accountID.MatchString(target) && target == e.Accounts.Orchestration.ID {
		v.add(e.Name, "Accounts.Target.ID", "keep state and workloads in separate accounts by deploying into an account other than the orchestration account",
			"%q is also the orchestration account, which holds the environment's Terraform state", target)
	}

	v.regions(e)
	v.domain(e)

	v.kubernetes(e)
	v.sizes(e)
	v.retention(e)
	v.components(e)
	v.pattern(e)
	v.application(e)
}

func (v *validator) account(report reporter, field string, a Account) {
	if !accountID.MatchString(a.ID) {
		report(field+".ID", "use the 12-digit AWS account ID, digits only, for example \"123456789012\"",
			"%q is not an AWS account ID", a.ID)
	}
	if !iamRoleName.MatchString(a.DeployRoleName) {
		report(field+".DeployRoleName", "use an IAM role name of 1 to 64 letters, digits and +=,.@_- characters",
			"%q is not a valid IAM role name", a.DeployRoleName)
	}
	if a.AdminRoleName != "" && !iamRoleName.MatchString(a.AdminRoleName) {
		report(field+".AdminRoleName", "use an IAM role name of 1 to 64 letters, digits and +=,.@_- characters",
			"%q is not a valid IAM role name", a.AdminRoleName)
	}
}

// regionName checks that name is the exact name of a supported region. A
// region code such as "usw2" is rejected, because the constructs and the
// Terraform provider take region names only.
func regionName(report reporter, field, name string) {
	info, known := LookupRegion(name)
	switch {
	case !known:
		report(field, "use one of "+quoteList(SupportedRegionNames()), "unknown region %q", name)

	case info.Name != name:
		report(field, fmt.Sprintf("use the region name %q", info.Name),
			"%q is the code of region %s, not a region name", name, info.Name)
	}
}

func (v *validator) domain(e Environment) {
	if !validDomain(e.Domain) {
		v.add(e.Name, "Domain", "use a lowercase DNS name of at least two labels, for example \"prod.honeyhive.ai\"",
			"%q is not a valid DNS name", e.Domain)
		return
	}

	// Each region gets the private zone `<code>.internal.<domain>`. Only the
	// longest zone name is reported, because the fix is the same.
	longest, longestRegion := "", ""
	for _, r := range e.Regions {
		if _, ok := r.Info(); !ok {
			continue
		}
		if zone := e.PrivateZoneName(r); len(zone) > len(longest) {
			longest, longestRegion = zone, r.Name
		}
	}
	if len(longest) > maxDomainNameLength {
		allowed := len(e.Domain) - (len(longest) - maxDomainNameLength)
		v.add(e.Name, "Domain", fmt.Sprintf("shorten the domain to at most %d characters", allowed),
			"the private zone name of region %s, %q followed by the %d-character domain, is %d characters, above the DNS maximum of %d",
			longestRegion, strings.TrimSuffix(longest, e.Domain), len(e.Domain), len(longest), maxDomainNameLength)
	}
}

func (v *validator) kubernetes(e Environment) {
	if !kubernetesVersion.MatchString(e.Kubernetes.Version) {
		v.add(e.Name, "Kubernetes.Version", "use a Kubernetes minor version such as \"1.33\"",
			"%q is not a Kubernetes minor version", e.Kubernetes.Version)
	}

	if len(e.Kubernetes.PublicAccessCIDRs) > 0 && e.Tier != TierTest {
		v.add(e.Name, "Kubernetes.PublicAccessCIDRs", "remove the list; stage and prod clusters are reached only through Twingate",
			"a public cluster endpoint is allowed only in the test tier, and this environment is %q", e.Tier)
	}
	for i, cidr := range e.Kubernetes.PublicAccessCIDRs {
		field := fmt.Sprintf("Kubernetes.PublicAccessCIDRs[%d]", i)
		p, err := netip.ParsePrefix(cidr)
		switch {
		case err != nil:
			v.add(e.Name, field, "write the range in CIDR notation, for example \"203.0.113.0/24\"", "%q is not a CIDR range", cidr)

		case p.Bits() == 0:
			v.add(e.Name, field, "list the office or VPN egress ranges instead", "%s opens the cluster API to the whole internet", p)
		}
	}
}

// orchestration checks one orchestration definition. Its problems are
// reported once, naming every environment that uses the definition.
func (v *validator) orchestration(use orchestrationUse) {
	o := use.definition
	report := v.forOrchestration(use)
	field := "Accounts.Orchestration"

	if !validNamePart(o.Name) {
		report(field+".Name", "use 1 to 20 lowercase letters, digits and single hyphens, starting with a letter",
			"%q cannot form a stack name", o.Name)
	}
	v.account(report, field, o.Account)
	regionName(report, field+".HomeRegion", o.HomeRegion)

	s := o.State
	longest := len(s.BucketPrefix) + len("-123456789012-") + len("ap-southeast-2")
	if !bucketPrefix.MatchString(s.BucketPrefix) || strings.Contains(s.BucketPrefix, "--") || longest > 63 {
		report(field+".State.BucketPrefix", "use lowercase letters, digits and single hyphens, at most 35 characters, so that `<prefix>-<account>-<region>` is a valid S3 bucket name",
			"%q cannot start a state bucket name", s.BucketPrefix)
	}
	if !dynamoDBTableName.MatchString(s.LockTable) {
		report(field+".State.LockTable", "use 3 to 255 letters, digits, underscores, hyphens and dots",
			"%q is not a valid DynamoDB table name", s.LockTable)
	}
	keyLayout(report, field+".State.KeyLayout", s.KeyLayout)

	// CI roles trust tokens of exactly this repository; a wildcard would let
	// workflows of other repositories assume them.
	if !githubOwner.MatchString(o.GitHub.Owner) {
		report(field+".GitHub.Owner", "name the GitHub organization or user exactly, without wildcards",
			"%q is not a GitHub owner name", o.GitHub.Owner)
	}
	if !githubRepository.MatchString(o.GitHub.Repository) || o.GitHub.Repository == "." || o.GitHub.Repository == ".." {
		report(field+".GitHub.Repository", "name the repository exactly, without wildcards",
			"%q is not a GitHub repository name", o.GitHub.Repository)
	}
}

var (
	// githubOwner and githubRepository follow GitHub's naming rules; "*"
	// and "?" never match.
	githubOwner      = regexp.MustCompile(`^[A-Za-z0-9]([A-Za-z0-9-]{0,37}[A-Za-z0-9])?$`)
	githubRepository = regexp.MustCompile(`^[A-Za-z0-9._-]{1,100}$`)
)

// workspaceKeyPrefix is the default workspace_key_prefix of the Terraform
// S3 backend, under which it stores the state of non-default workspaces.
const workspaceKeyPrefix = "env:"

func keyLayout(report reporter, field, layout string) {
	known := []string{"{env}", "{region}", "{region_code}", "{layer}", "{stack}"}
	for _, p := range keyPlaceholder.FindAllString(layout, -1) {
		if !slices.Contains(known, p) {
			report(field, "use only the placeholders "+strings.Join(known, ", "),
				"unknown placeholder %s in %q", p, layout)
		}
	}

	has := func(p string) bool { return strings.Contains(layout, p) }
	unique := has("{stack}") || (has("{env}") && has("{layer}") && (has("{region}") || has("{region_code}")))
	if !unique {
		report(field, "include {stack}, or {env}, {layer} and {region} (or {region_code}), so that every stack gets its own state object",
			"layout %q would give two stacks the same state key", layout)
	}

	// The S3 backend rejects a key that starts or ends with a slash.
	if strings.HasPrefix(layout, "/") || strings.Contains(layout, "//") {
		report(field, "remove the leading slash and empty path segments",
			"layout %q has an empty path segment", layout)
	}
	if strings.HasSuffix(layout, "/") {
		report(field, "end the layout with the state object's file name, for example \"{stack}/terraform.tfstate\"",
			"layout %q ends with a slash, which the Terraform S3 backend rejects", layout)
	}
	if strings.TrimSpace(layout) != layout {
		report(field, "remove the leading and trailing spaces",
			"layout %q starts or ends with a space", layout)
	}
	if strings.HasPrefix(layout, workspaceKeyPrefix) {
		report(field, fmt.Sprintf("start the layout with something other than %q", workspaceKeyPrefix),
			"layout %q starts with %q, the prefix under which the Terraform S3 backend stores the state of other workspaces", layout, workspaceKeyPrefix)
	}
}

func (v *validator) regions(e Environment) {
	if len(e.Regions) == 0 {
		v.add(e.Name, "Regions", "add at least a primary region", "the environment has no regions")
		return
	}

	report := v.forEnvironment(e.Name)
	seen := map[string]int{}
	primaries := 0
	for i, r := range e.Regions {
		field := fmt.Sprintf("Regions[%d]", i)

		regionName(report, field+".Name", r.Name)

		// A code and the name of the same region are the same region.
		name := r.Name
		if info, ok := LookupRegion(r.Name); ok {
			name = info.Name
		}
		if j, dup := seen[name]; dup {
			v.add(e.Name, field+".Name", "list each region once", "region %q is already listed as Regions[%d]", name, j)
		} else {
			seen[name] = i
		}

		switch r.Role {
		case RolePrimary:
			primaries++

		case RoleDR, RoleExpansion:

		default:
			v.add(e.Name, field+".Role", "use one of "+quoteList([]RegionRole{RolePrimary, RoleDR, RoleExpansion}),
				"unknown region role %q", r.Role)
		}

		if r.ExistingVPC != nil {
			if _, err := netip.ParsePrefix(r.VPCCIDR); err != nil {
				v.add(e.Name, field+".VPCCIDR", "set the existing VPC's primary range in CIDR notation, for example \"10.0.0.0/16\"", "%q is not a CIDR range", r.VPCCIDR)
			}
		} else {
			v.vpcCIDR(e.Name, field+".VPCCIDR", r.VPCCIDR)
		}
	}

	switch {
	case primaries == 0:
		v.add(e.Name, "Regions", "give exactly one region the role \"primary\"; a DR or expansion region needs a primary to follow",
			"no region has the role \"primary\"")

	case primaries > 1:
		v.add(e.Name, "Regions", "give exactly one region the role \"primary\" and make the others \"dr\" or \"expansion\"",
			"%d regions have the role \"primary\"", primaries)
	}

	// Replicated data may not leave its jurisdiction, so a DR region must
	// share the primary's.
	primary, hasPrimary := e.Primary().Info()
	for i, r := range e.Regions {
		info, ok := r.Info()
		if r.Role == RoleDR && hasPrimary && ok && info.Jurisdiction != primary.Jurisdiction {
			v.add(e.Name, fmt.Sprintf("Regions[%d].Role", i), "choose a DR region in the primary's jurisdiction, or make this region \"expansion\"",
				"DR region %s is in the %s but the primary %s is in the %s, and replicated data may not leave its jurisdiction",
				r.Name, info.Jurisdiction, primary.Name, primary.Jurisdiction)
		}
	}

	// Overlap inside one environment; overlap between environments is
	// checked in acrossEnvironments.
	for i := range e.Regions {
		for j := i + 1; j < len(e.Regions); j++ {
			a, errA := netip.ParsePrefix(e.Regions[i].VPCCIDR)
			b, errB := netip.ParsePrefix(e.Regions[j].VPCCIDR)
			if errA == nil && errB == nil && a.Overlaps(b) {
				v.add(e.Name, fmt.Sprintf("Regions[%d].VPCCIDR", j), "give each region its own range from the CIDR plan",
					"%s overlaps %s of Regions[%d] (%s)", b, a, i, e.Regions[i].Name)
			}
		}
	}
}

func (v *validator) vpcCIDR(env, field, cidr string) {
	p, err := netip.ParsePrefix(cidr)
	if err != nil {
		v.add(env, field, "write the range in CIDR notation, for example \"10.40.0.0/16\"", "%q is not a CIDR range", cidr)
		return
	}

	if p != p.Masked() {
		v.add(env, field, fmt.Sprintf("use the network address %s", p.Masked()), "%s has host bits set", p)
	}
	if !p.Addr().Is4() || p.Bits() < 16 || p.Bits() > 20 {
		v.add(env, field, "use an IPv4 range from /16 to /20; AWS allows at most /16, and the subnet plan needs at least /20",
			"%s has the wrong size", p)
	}
	private := false
	for _, r := range privateRanges {
		if r.Contains(p.Addr()) && r.Bits() <= p.Bits() {
			private = true
		}
	}
	if !private {
		v.add(env, field, "use a range inside 10.0.0.0/8, 172.16.0.0/12 or 192.168.0.0/16", "%s is not a private (RFC 1918) range", p)
	}
}

func (v *validator) sizes(e Environment) {
	s := e.Sizes
	if s.AvailabilityZones < 2 || s.AvailabilityZones > 3 {
		v.add(e.Name, "Sizes.AvailabilityZones", "use 3, or 2 for a test environment", "%d availability zones is not supported", s.AvailabilityZones)
	}
	if s.NATGateways != NATPerAZ && s.NATGateways != NATSingle {
		v.add(e.Name, "Sizes.NATGateways", "use one of "+quoteList([]NATMode{NATPerAZ, NATSingle}), "unknown NAT mode %q", s.NATGateways)
	}

	n := s.SystemNodes
	if len(n.InstanceTypes) == 0 {
		v.add(e.Name, "Sizes.SystemNodes.InstanceTypes", "list at least one EC2 instance type, for example \"m7g.large\"", "no instance types")
	}
	if n.Min < 1 || n.Min > n.Desired || n.Desired > n.Max {
		v.add(e.Name, "Sizes.SystemNodes", "set 1 <= Min <= Desired <= Max",
			"Min %d, Desired %d, Max %d are out of order", n.Min, n.Desired, n.Max)
	}
	k := s.Karpenter
	if k.CPULimit <= 0 || k.MemoryLimitGiB <= 0 {
		v.add(e.Name, "Sizes.Karpenter", "set CPULimit and MemoryLimitGiB above zero; they cap what each node pool may launch",
			"CPULimit %d and MemoryLimitGiB %d must both be positive", k.CPULimit, k.MemoryLimitGiB)
	}
	if len(k.InstanceFamilies) == 0 {
		v.add(e.Name, "Sizes.Karpenter.InstanceFamilies", "list at least one EC2 instance family, for example \"m7g\"", "no instance families")
	}
	for i, f := range k.InstanceFamilies {
		if !instanceFamily.MatchString(f) {
			v.add(e.Name, fmt.Sprintf("Sizes.Karpenter.InstanceFamilies[%d]", i), "use an EC2 instance family such as \"m7g\", without the size",
				"%q is not an EC2 instance family", f)
		}
	}

	if !strings.HasPrefix(s.DatabaseInstanceClass, "db.") {
		v.add(e.Name, "Sizes.DatabaseInstanceClass", "use an RDS instance class, for example \"db.r7g.large\"",
			"%q is not an RDS instance class", s.DatabaseInstanceClass)
	}
}

func (v *validator) retention(e Environment) {
	logs := []struct {
		field string
		days  int
	}{
		{"Retention.FlowLogDays", e.Retention.FlowLogDays},
		{"Retention.ClusterLogDays", e.Retention.ClusterLogDays},
		{"Retention.ApplicationLogDays", e.Retention.ApplicationLogDays},
	}
	for _, l := range logs {
		if !slices.Contains(CloudWatchRetentionDays, l.days) {
			v.add(e.Name, l.field, fmt.Sprintf("use one of the periods CloudWatch Logs accepts: %v", CloudWatchRetentionDays),
				"%d days is not a CloudWatch Logs retention period", l.days)
		}
	}

	if d := e.Retention.DatabaseBackupDays; d < 1 || d > 35 {
		v.add(e.Name, "Retention.DatabaseBackupDays", "use 1 to 35 days, the range RDS point-in-time recovery supports",
			"%d days is out of range", d)
	}
}

func (v *validator) acrossEnvironments(envs []Environment) {
	names := map[string]int{}
	for i, e := range envs {
		if j, dup := names[e.Name]; dup {
			v.add(e.Name, "Name", "give every environment its own name", "environment number %d has the same name as number %d", i+1, j+1)
		} else {
			names[e.Name] = i
		}
	}

	type placed struct {
		env    string
		field  string
		region string
		prefix netip.Prefix
	}
	var ranges []placed
	for _, e := range envs {
		for i, r := range e.Regions {
			// A customer's own VPC is outside HoneyHive's plan, and the
			// links to it (PrivateLink) work across overlapping ranges.
			p, err := netip.ParsePrefix(r.VPCCIDR)
			if err != nil || r.ExistingVPC != nil {
				continue
			}
			field := fmt.Sprintf("Regions[%d].VPCCIDR", i)
			for _, other := range ranges {
				if other.env != e.Name && other.prefix.Overlaps(p) {
					v.add(e.Name, field, fmt.Sprintf("give each region its own range from the CIDR plan, by changing this range or %s of environment %q", other.field, other.env),
						"%s (environment %q, field %s, region %s) overlaps %s (environment %q, field %s, region %s)",
						p, e.Name, field, r.Name, other.prefix, other.env, other.field, other.region)
				}
			}
			ranges = append(ranges, placed{e.Name, field, r.Name, p})
		}
	}

	// Each environment's global stack owns account-wide resources (the
	// deploy or operator role, the trail, the account baseline), so two
	// environments in one account would fight over them, and over KMS
	// aliases and IAM names in a shared region.
	accounts := map[string]string{}
	for _, e := range envs {
		id := e.Accounts.Target.ID
		if other, used := accounts[id]; used && other != e.Name && accountID.MatchString(id) {
			v.add(e.Name, "Accounts.Target.ID", "deploy each environment into its own account",
				"account %s already hosts environment %q", id, other)
		} else if !used {
			accounts[id] = e.Name
		}
	}

	// HoneyHive's operator role must be HoneyHive's, not a role in some
	// customer's account.
	customerAccounts := map[string]string{}
	for _, e := range envs {
		if e.Pattern.InCustomerAccount() {
			customerAccounts[e.Accounts.Target.ID] = e.Name
		}
	}
	for _, e := range envs {
		if e.Customer == nil {
			continue
		}
		match := roleARN.FindStringSubmatch(e.Customer.Operator.TrustedRoleARN)
		if other, ok := customerAccounts[matchGroup(match, 1)]; ok && other != e.Name {
			v.add(e.Name, "Customer.Operator.TrustedRoleARN", "use a role in one of HoneyHive's accounts",
				"%q is in the account of customer deployment %q", e.Customer.Operator.TrustedRoleARN, other)
		}
	}

	// Every environment that names an orchestration account must describe it
	// the same way, because one bootstrap stack creates its state buckets.
	byName := map[string]Environment{}
	byAccount := map[string]Environment{}
	for _, e := range envs {
		o := e.Accounts.Orchestration
		if first, ok := byName[o.Name]; ok && first.Accounts.Orchestration != o {
			v.add(e.Name, "Accounts.Orchestration", fmt.Sprintf("use the same account, home region and state settings as environment %q", first.Name),
				"orchestration %q is defined differently by environment %q", o.Name, first.Name)
		}
		if first, ok := byAccount[o.ID]; ok && first.Accounts.Orchestration.Name != o.Name {
			v.add(e.Name, "Accounts.Orchestration.Name", fmt.Sprintf("use the name %q, as environment %q does", first.Accounts.Orchestration.Name, first.Name),
				"account %s is already the orchestration account %q", o.ID, first.Accounts.Orchestration.Name)
		}
		if _, ok := byName[o.Name]; !ok {
			byName[o.Name] = e
		}
		if _, ok := byAccount[o.ID]; !ok {
			byAccount[o.ID] = e
		}
	}

	// The orchestration's stacks start with its name, like an environment's,
	// so the environment that takes the same name is the one to rename.
	var clashes []string
	for _, use := range orchestrationUses(envs) {
		name := use.definition.Name
		if i, clash := names[name]; clash && !slices.Contains(clashes, name) {
			clashes = append(clashes, name)
			v.add(envs[i].Name, "Name", "rename the environment, or the orchestration account it clashes with",
				"%q is also the name of the orchestration account that environments %s use, so their stack names could collide",
				name, quoteList(use.environments))
		}
	}
}

func validNamePart(name string) bool {
	return len(name) <= maxNameLength && stackNamePart.MatchString(name)
}

func validDomain(name string) bool {
	if len(name) > maxDomainNameLength {
		return false
	}
	labels := strings.Split(name, ".")
	if len(labels) < 2 {
		return false
	}
	for _, l := range labels {
		if !dnsLabel.MatchString(l) {
			return false
		}
	}
	return true
}

func quoteList[T ~string](values []T) string {
	quoted := make([]string, len(values))
	for i, v := range values {
		quoted[i] = fmt.Sprintf("%q", v)
	}
	return strings.Join(quoted, ", ")
}
