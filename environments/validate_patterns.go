package environments

import (
	"fmt"
	"maps"
	"net/netip"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
)

var (
	// externalIDCharacters are what STS accepts in an external ID, which
	// is 2 to 1224 characters long (Go's regexp caps repeat counts at 1000).
	externalIDCharacters = regexp.MustCompile(`^[\w+=,.@:/-]+$`)

	kmsKeyARN = regexp.MustCompile(`^arn:aws:kms:([a-z0-9-]+):([0-9]{12}):key/[A-Za-z0-9-]+$`)

	vpcID = regexp.MustCompile(`^vpc-([0-9a-f]{8}|[0-9a-f]{17})$`)

	subnetID = regexp.MustCompile(`^subnet-([0-9a-f]{8}|[0-9a-f]{17})$`)

	routeTableID = regexp.MustCompile(`^rtb-([0-9a-f]{8}|[0-9a-f]{17})$`)

	serviceName = regexp.MustCompile(`^[a-z]([-a-z0-9]{0,61}[a-z0-9])?$`)
)

// maxLinkNameLength is the longest name of a PrivateLink service that
// leaves room for the target port in a target group name.
const maxLinkNameLength = 26

// minSubnetZones is how many AZs an existing VPC's tiers must span: EKS
// needs subnets in two AZs, and so do RDS subnet groups.
const minSubnetZones = 2

// components checks the components against the pattern and the Twingate
// network.
func (v *validator) components(e Environment) {
	on := map[string]bool{
		"Twingate":   e.Components.Twingate,
		"Monitoring": e.Components.Monitoring,
		"GitOps":     e.Components.GitOps,
		"DataStores": e.Components.DataStores,
	}
	for _, c := range patternNeeds[e.Pattern] {
		if !on[c] {
			v.add(e.Name, "Components."+c, fmt.Sprintf("turn %s on, or choose a pattern that does not need it", c),
				"the %q pattern needs %s, which is off", e.Pattern, c)
		}
	}
	for _, c := range slices.Sorted(maps.Keys(patternExcludes[e.Pattern])) {
		if on[c] {
			v.add(e.Name, "Components."+c, fmt.Sprintf("turn %s off, or choose a pattern that runs it", c),
				"the %q pattern cannot run %s: %s", e.Pattern, c, patternExcludes[e.Pattern][c])
		}
	}

	if e.Components.Twingate && !twingateNetwork.MatchString(e.TwingateNetwork) {
		v.add(e.Name, "TwingateNetwork", "set the Twingate tenant name, the \"acme\" of acme.twingate.com, or turn Components.Twingate off",
			"%q is not a Twingate network name", e.TwingateNetwork)
	}
}

// pattern checks what the deployment pattern requires of the environment: the
// customer's account and access, the control plane it reports to, and the
// customer-owned VPCs and keys.
func (v *validator) pattern(e Environment) {
	if e.Pattern.InCustomerAccount() {
		v.customer(e)
	} else {
		if e.Customer != nil {
			v.add(e.Name, "Customer", fmt.Sprintf("remove Customer, or choose the pattern %q or %q, which run in a customer's account", PatternFederatedBYOC, PatternHybridSaaS),
				"the %q pattern runs in HoneyHive's accounts", e.Pattern)
		}
		for i, r := range e.Regions {
			field := fmt.Sprintf("Regions[%d]", i)
			if r.ExistingVPC != nil {
				v.add(e.Name, field+".ExistingVPC", "remove ExistingVPC; the platform creates the VPCs in its own accounts",
					"the %q pattern runs in HoneyHive's accounts", e.Pattern)
			}
			if r.Keys != (KeyARNs{}) {
				v.add(e.Name, field+".Keys", "remove Keys; the platform creates the keys in its own accounts",
					"the %q pattern runs in HoneyHive's accounts", e.Pattern)
			}
		}
	}

	v.controlPlane(e)
}

func (v *validator) customer(e Environment) {
	target := e.Accounts.Target
	if len(e.Kubernetes.PublicAccessCIDRs) > 0 {
		v.add(e.Name, "Kubernetes.PublicAccessCIDRs", "remove the list; a cluster in a customer's account is reached only through Twingate",
			"the %q pattern exposes nothing to the internet, in any tier", e.Pattern)
	}
	roles := map[string]string{}
	for _, r := range []struct{ field, name string }{
		{"Accounts.Target.DeployRoleName", target.DeployRoleName},
		{"Accounts.Target.AdminRoleName", target.AdminRoleName},
		{"Customer.Operator.RoleName", operatorRoleName(e)},
	} {
		if other, dup := roles[r.name]; dup && r.name != "" {
			v.add(e.Name, r.field, "give the deploy, administrator and operator roles different names",
				"%q is also the name of %s", r.name, other)
		}
		roles[r.name] = r.field
	}

	if !validExternalID(target.ExternalID) {
		v.add(e.Name, "Accounts.Target.ExternalID", "set the external ID agreed with the customer (2 to 1224 letters, digits and +=,.@:/_- characters); the customer's deploy role must require it",
			"%q is not an external ID, and the %q pattern deploys into a customer's account", target.ExternalID, e.Pattern)
	}

	if e.Customer == nil {
		v.add(e.Name, "Customer", "describe the customer: its name and HoneyHive's operator access",
			"the %q pattern runs in a customer's account, and Customer is not set", e.Pattern)
	} else {
		c := e.Customer
		if strings.TrimSpace(c.Name) == "" {
			v.add(e.Name, "Customer.Name", "set the customer's name", "the customer has no name")
		}

		op := c.Operator
		if !iamRoleName.MatchString(op.RoleName) {
			v.add(e.Name, "Customer.Operator.RoleName", "use an IAM role name of 1 to 64 letters, digits and +=,.@_- characters",
				"%q is not a valid IAM role name", op.RoleName)
		}
		match := roleARN.FindStringSubmatch(op.TrustedRoleARN)
		switch {
		case match == nil:
			v.add(e.Name, "Customer.Operator.TrustedRoleARN", "use the exact ARN of HoneyHive's operator role, for example \"arn:aws:iam::123456789012:role/platform-operator\"",
				"%q is not an IAM role ARN", op.TrustedRoleARN)

		case match[1] == target.ID:
			v.add(e.Name, "Customer.Operator.TrustedRoleARN", "use a role in one of HoneyHive's accounts",
				"%q is in the customer's own account %s", op.TrustedRoleARN, target.ID)
		}
		switch {
		case !validExternalID(op.ExternalID):
			v.add(e.Name, "Customer.Operator.ExternalID", "set the external ID agreed with the customer for operator access (2 to 1224 letters, digits and +=,.@:/_- characters)",
				"%q is not an external ID", op.ExternalID)

		case op.ExternalID == target.ExternalID:
			v.add(e.Name, "Customer.Operator.ExternalID", "use an external ID other than Accounts.Target.ExternalID",
				"the operator role and the deploy role share an external ID, so knowing one opens both")
		}
	}

	for i, r := range e.Regions {
		field := fmt.Sprintf("Regions[%d]", i)
		v.keys(e, field+".Keys", r)
		if r.ExistingVPC != nil {
			v.existingVPC(e, field, r)
		}
	}
}

func (v *validator) keys(e Environment, field string, r Region) {
	keys := []struct {
		name string
		arn  string
	}{
		{"Logs", r.Keys.Logs},
		{"Cluster", r.Keys.Cluster},
		{"Data", r.Keys.Data},
		{"Secrets", r.Keys.Secrets},
	}
	for _, k := range keys {
		if k.arn == "" {
			continue
		}
		match := kmsKeyARN.FindStringSubmatch(k.arn)
		switch {
		case match == nil:
			v.add(e.Name, field+"."+k.name, "use the key's ARN, \"arn:aws:kms:<region>:<account>:key/<key ID>\", not its ID or an alias, or leave it empty to create the key",
				"%q is not a KMS key ARN", k.arn)

		case match[1] != r.Name:
			v.add(e.Name, field+"."+k.name, fmt.Sprintf("use a key in %s; KMS keys are regional", r.Name),
				"key %q is in region %s", k.arn, match[1])

		case match[2] != e.Accounts.Target.ID:
			v.add(e.Name, field+"."+k.name, fmt.Sprintf("use a key of the customer's account %s, or leave it empty to create one there", e.Accounts.Target.ID),
				"key %q belongs to account %s", k.arn, match[2])
		}
	}
}

// existingVPC checks a customer's VPC: well-formed IDs, subnets inside the
// VPC and in its region, and every tier the platform needs spread over two
// AZs.
func (v *validator) existingVPC(e Environment, field string, r Region) {
	x := r.ExistingVPC
	field += ".ExistingVPC"
	if !vpcID.MatchString(x.ID) {
		v.add(e.Name, field+".ID", "use the VPC's ID, for example \"vpc-0123456789abcdef0\"", "%q is not a VPC ID", x.ID)
	}
	vpcRange, vpcErr := netip.ParsePrefix(r.VPCCIDR)
	if vpcErr == nil && (!vpcRange.Addr().Is4() || vpcRange.Bits() < 16 || vpcRange.Bits() > 28 || vpcRange != vpcRange.Masked()) {
		v.add(e.Name, strings.TrimSuffix(field, ".ExistingVPC")+".VPCCIDR", "set the VPC's primary IPv4 range as AWS shows it, from /16 to /28, for example \"10.0.0.0/16\"",
			"%s is not a VPC's primary range", vpcRange)
		vpcErr = fmt.Errorf("invalid VPC range")
	}

	tiers := []struct {
		name     string
		subnets  []Subnet
		required bool
		reason   string
	}{
		{"PrivateSubnets", x.PrivateSubnets, true, "the nodes and pods run there"},
		{"IntraSubnets", x.IntraSubnets, true, "the EKS control plane and the PrivateLink load balancers need them"},
		{"DatabaseSubnets", x.DatabaseSubnets, e.Components.DataStores, "Components.DataStores is on"},
	}
	seen := map[string]string{}
	var placed []netip.Prefix
	for _, tier := range tiers {
		zones := map[string]bool{}
		for i, s := range tier.subnets {
			sf := fmt.Sprintf("%s.%s[%d]", field, tier.name, i)
			if !subnetID.MatchString(s.ID) {
				v.add(e.Name, sf+".ID", "use the subnet's ID, for example \"subnet-0123456789abcdef0\"", "%q is not a subnet ID", s.ID)
			}
			if other, dup := seen[s.ID]; dup {
				v.add(e.Name, sf+".ID", "list each subnet once, in one tier", "subnet %q is already listed as %s", s.ID, other)
			} else {
				seen[s.ID] = fmt.Sprintf("%s[%d]", tier.name, i)
			}

			if !availabilityZoneOf(r.Name, s.AvailabilityZone) {
				v.add(e.Name, sf+".AvailabilityZone", fmt.Sprintf("use an availability zone of %s, for example %q", r.Name, r.Name+"a"),
					"%q is not an availability zone of the region", s.AvailabilityZone)
			} else {
				zones[s.AvailabilityZone] = true
			}

			p, err := netip.ParsePrefix(s.CIDR)
			switch {
			case err != nil || !p.Addr().Is4():
				v.add(e.Name, sf+".CIDR", "write the subnet's IPv4 range in CIDR notation, for example \"10.0.1.0/24\"", "%q is not an IPv4 CIDR range", s.CIDR)

			case p != p.Masked():
				v.add(e.Name, sf+".CIDR", fmt.Sprintf("use the network address %s", p.Masked()), "%s has host bits set", p)

			case vpcErr == nil && !(vpcRange.Contains(p.Addr()) && p.Bits() >= vpcRange.Bits()):
				v.add(e.Name, sf+".CIDR", "list subnets of this VPC only, with the ranges AWS shows for them",
					"%s is outside the VPC range %s", p, vpcRange)

			default:
				for _, q := range placed {
					if q.Overlaps(p) {
						v.add(e.Name, sf+".CIDR", "check the subnet ranges; no two subnets of a VPC overlap", "%s overlaps %s of another listed subnet", p, q)
					}
				}
				placed = append(placed, p)
			}
		}
		if tier.required && len(zones) < minSubnetZones {
			v.add(e.Name, field+"."+tier.name, fmt.Sprintf("list subnets of this tier in at least %d availability zones", minSubnetZones),
				"the subnets cover %d availability zones, and %s", len(zones), tier.reason)
		}
	}

	if x.CreateEndpoints && len(x.RouteTableIDs) == 0 {
		v.add(e.Name, field+".RouteTableIDs", "list the private subnets' route tables, which get the S3 and DynamoDB gateway endpoints",
			"CreateEndpoints is on and no route tables are listed")
	}
	for i, id := range x.RouteTableIDs {
		if j := slices.Index(x.RouteTableIDs, id); j < i {
			v.add(e.Name, fmt.Sprintf("%s.RouteTableIDs[%d]", field, i), "list each route table once",
				"%q is already listed as RouteTableIDs[%d]", id, j)
		}
		if !routeTableID.MatchString(id) {
			v.add(e.Name, fmt.Sprintf("%s.RouteTableIDs[%d]", field, i), "use the route table's ID, for example \"rtb-0123456789abcdef0\"",
				"%q is not a route table ID", id)
		}
	}
}

// controlPlane checks where a data plane finds its control plane.
func (v *validator) controlPlane(e Environment) {
	cp := e.ControlPlane
	switch {
	case e.Pattern.NeedsControlPlaneEndpoint():
		if err := checkEndpoint(cp.Endpoint); err != "" {
			v.add(e.Name, "ControlPlane.Endpoint", "set the HTTPS URL of the control plane's API, for example \"https://api.honeyhive.ai\"",
				"the %q pattern connects to a remote control plane, and %s", e.Pattern, err)
		}
		if cp.Environment != "" {
			v.add(e.Name, "ControlPlane.Environment", fmt.Sprintf("remove it; only the %q pattern links to a control-plane environment privately", PatternHybridSaaS),
				"the %q pattern reaches its control plane by URL", e.Pattern)
		}

	case e.Pattern == PatternHybridSaaS:
		if cp.Environment == "" {
			v.add(e.Name, "ControlPlane.Environment", "name the control-plane environment this data plane is linked to",
				"the %q pattern links to a control plane in HoneyHive's account, and none is named", e.Pattern)
		}
		if cp.Endpoint != "" {
			v.add(e.Name, "ControlPlane.Endpoint", "remove it; the data plane reaches its control plane over PrivateLink, by a name in its private zone",
				"a hybrid SaaS data plane does not call its control plane over the internet")
		}

	case cp != ControlPlane{}:
		v.add(e.Name, "ControlPlane", "remove it; this pattern runs its own control plane",
			"the %q pattern runs the control plane itself", e.Pattern)
	}

	if s := e.PrivateService; s != nil {
		// The link's load balancer and target group are named
		// `<name>-<region code>-link` plus the target port, within the 32
		// characters AWS allows.
		longest := 0
		for _, r := range e.Regions {
			longest = max(longest, len(r.Code()))
		}
		if allowed := maxLinkNameLength - len("-") - longest - len("-link"); len(e.Name) > allowed {
			v.add(e.Name, "Name", fmt.Sprintf("shorten the name to at most %d characters", allowed),
				"%q is too long to name the PrivateLink load balancer of its PrivateService", e.Name)
		}
		if !slices.ContainsFunc(e.Tenants, func(t Tenant) bool { return t.Name == s.Namespace }) {
			v.add(e.Name, "PrivateService.Namespace", "use one of the environment's tenants, whose network policies admit the PrivateLink load balancer",
				"%q is not a tenant of the environment", s.Namespace)
		}
		if !serviceName.MatchString(s.Name) {
			v.add(e.Name, "PrivateService.Name", "use the Service's name, a DNS label", "%q is not a Kubernetes Service name", s.Name)
		}
		for _, port := range []struct {
			field string
			value int
		}{{"Port", s.Port}, {"TargetPort", s.TargetPort}} {
			if port.value < 1 || port.value > 65535 {
				v.add(e.Name, "PrivateService."+port.field, "use a TCP port from 1 to 65535", "%d is not a TCP port", port.value)
			}
		}
	}
}

// checkEndpoint returns what is wrong with a control-plane URL, or "".
func checkEndpoint(endpoint string) string {
	if endpoint == "" {
		return "ControlPlane.Endpoint is empty"
	}
	u, err := url.Parse(endpoint)
	switch {
	case err != nil || u.Host == "":
		return fmt.Sprintf("%q is not a URL", endpoint)

	case u.Scheme != "https":
		return fmt.Sprintf("%q does not use HTTPS", endpoint)

	case u.User != nil:
		return fmt.Sprintf("%q carries credentials", endpoint)

	case !validDomain(u.Hostname()) || isIPAddress(u.Hostname()):
		return fmt.Sprintf("%q does not name its host by a DNS name", endpoint)
	}
	if port := u.Port(); port != "" {
		if n, err := strconv.Atoi(port); err != nil || n < 1 || n > 65535 {
			return fmt.Sprintf("%q has the invalid port %s", endpoint, port)
		}
	}
	return ""
}

// hybridPairs checks the links between hybrid SaaS data planes and their
// control planes, which span two environments.
func (v *validator) hybridPairs(envs []Environment) {
	byName := map[string]Environment{}
	for _, e := range envs {
		byName[e.Name] = e
	}

	linked := map[string]bool{}
	for _, e := range envs {
		if e.Pattern != PatternHybridSaaS || e.ControlPlane.Environment == "" {
			continue
		}
		name := e.ControlPlane.Environment
		cp, ok := byName[name]
		switch {
		case !ok:
			v.add(e.Name, "ControlPlane.Environment", "name an environment defined next to this one",
				"no environment is named %q", name)
			continue

		case cp.Pattern != PatternControlPlane:
			v.add(e.Name, "ControlPlane.Environment", fmt.Sprintf("name an environment with the pattern %q", PatternControlPlane),
				"environment %q has the pattern %q", name, cp.Pattern)
			continue

		case cp.Accounts.Orchestration != e.Accounts.Orchestration:
			v.add(e.Name, "ControlPlane.Environment", "deploy both halves of a hybrid pair from the same orchestration account, which keeps both states",
				"environment %q is deployed from orchestration %q", name, cp.Accounts.Orchestration.Name)
		}
		linked[name] = true

		// PrivateLink endpoint services are regional, so every region of
		// the data plane needs its control plane in the same region.
		for i, r := range e.Regions {
			if _, ok := cp.Region(r.Name); !ok {
				v.add(e.Name, fmt.Sprintf("Regions[%d].Name", i), fmt.Sprintf("add %s to environment %q, or remove it here", r.Name, name),
					"the control plane %q has no region %s to link to", name, r.Name)
			}
		}
		if e.PrivateService == nil {
			v.add(e.Name, "PrivateService", "name the Service the control plane queries, for example the data plane's query API",
				"a hybrid SaaS data plane offers its control plane one Service over PrivateLink, and none is set")
		}
		if cp.PrivateService == nil {
			v.add(name, "PrivateService", "name the Service the data planes call, for example the API",
				"environment %q links to this control plane over PrivateLink, and no Service is offered", e.Name)
		}
	}

	for _, e := range envs {
		if e.PrivateService != nil && e.Pattern != PatternHybridSaaS && !linked[e.Name] {
			v.add(e.Name, "PrivateService", "remove it; only the halves of a hybrid SaaS pair offer a Service over PrivateLink",
				"no hybrid SaaS data plane links to this environment")
		}
	}
}

func validExternalID(id string) bool {
	return len(id) >= 2 && len(id) <= 1224 && externalIDCharacters.MatchString(id)
}

// availabilityZoneOf reports whether zone is the name of an availability
// zone of region: the region's name and one letter.
func availabilityZoneOf(region, zone string) bool {
	letter := strings.TrimPrefix(zone, region)
	return len(zone) == len(region)+1 && letter != zone && letter[0] >= 'a' && letter[0] <= 'z'
}

// operatorRoleName returns the operator role's name, or "" without a
// customer.
func operatorRoleName(e Environment) string {
	if e.Customer == nil {
		return ""
	}
	return e.Customer.Operator.RoleName
}

// matchGroup returns group i of a regexp match, or "" without a match.
func matchGroup(match []string, i int) string {
	if i >= len(match) {
		return ""
	}
	return match[i]
}

func isIPAddress(host string) bool {
	_, err := netip.ParseAddr(host)
	return err == nil
}
