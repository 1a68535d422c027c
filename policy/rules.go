package policy

import (
	"fmt"
	"path"
	"slices"
	"strings"
)

// rules is the policy pack, ordered by ID. It is set in init because one
// rule, on the suppressions, looks rules up by ID.
var rules []Rule

func init() {
	rules = []Rule{
		{ID: "HH-DATA-001", Title: "EU data stays in the EU", Rationale: "Customers in the EU are promised that their data and its backups never leave EU regions.", check: euDataStaysInEU},
		{ID: "HH-EC2-001", Title: "IMDSv2 on every launch template", Rationale: "IMDSv1 lets a server-side request forgery read the node role's credentials.", check: imdsV2},
		{ID: "HH-EKS-001", Title: "EKS API endpoint private outside test", Rationale: "A public Kubernetes API is one leaked credential away from the whole cluster.", check: eksPrivateEndpoint},
		{ID: "HH-EKS-002", Title: "EKS secrets encrypted with a KMS key", Rationale: "Envelope encryption keeps Kubernetes Secrets unreadable in etcd backups.", check: eksSecretsEncryption},
		{ID: "HH-EKS-003", Title: "EKS control-plane logs all on", Rationale: "Audit and authenticator logs are the record of who did what in a cluster.", check: eksControlPlaneLogs},
		{ID: "HH-IAM-001", Title: "GitHub OIDC trust pinned by sub and aud", Rationale: "A trust without an exact sub lets any GitHub repository assume the role.", check: githubTrustPinned},
		{ID: "HH-IAM-002", Title: "No statement allows every action", Rationale: "Allowing \"*\" turns any mistake or compromise of the role into full control of the account.", check: noAllActions},
		{ID: "HH-IAM-003", Title: "No \"*\" resource on sensitive actions", Rationale: "Decrypt, secret reads, PassRole and object reads on every resource reach data the role was never meant to touch.", check: noWildcardOnSensitiveActions},
		{ID: "HH-IAM-004", Title: "Role trust names its principals", Rationale: "A trust policy with the principal \"*\" lets any AWS account assume the role.", check: trustNamesPrincipals},
		{ID: "HH-IAM-005", Title: "IAM policies readable at synth", Rationale: "A policy built by an expression Terraform evaluates later cannot be checked by these rules.", check: policiesReadable},
		{ID: "HH-KMS-001", Title: "KMS key rotation on", Rationale: "Yearly rotation limits how much data one key version protects.", check: kmsRotation},
		{ID: "HH-KMS-002", Title: "KMS deletion window of 7 to 30 days, set explicitly", Rationale: "A deleted key makes everything it encrypted unreadable; the window is the time to notice and cancel.", check: kmsDeletionWindow},
		{ID: "HH-LOG-001", Title: "Log groups encrypted with a KMS key and retained for a set time", Rationale: "Logs hold request data and credentials by accident; they must be encrypted and must not be kept forever or lost early.", check: logGroups},
		{ID: "HH-MSG-001", Title: "SQS queues and SNS topics encrypted", Rationale: "Messages at rest carry the same data as the systems that send them.", check: messagingEncrypted},
		{ID: "HH-NET-001", Title: "No ingress from the whole internet", Rationale: "Only the public load balancers' HTTP and HTTPS ports are meant to face the internet.", check: noWorldIngress},
		{ID: "HH-NET-002", Title: "VPC flow logs on", Rationale: "Flow logs are the only record of traffic for incident response.", check: vpcFlowLogs},
		{ID: "HH-NET-003", Title: "Default security group closed", Rationale: "Resources launched without a security group land in the default one, which must admit nothing.", check: defaultSecurityGroupClosed},
		{ID: "HH-POLICY-001", Title: "Suppressions name a rule, give a reason and are needed", Rationale: "An exception without its reason, or one that no longer excuses anything, hides what reviewers must see.", check: suppressionsWellFormed},
		{ID: "HH-RDS-001", Title: "Databases encrypted with a KMS key", Rationale: "Database storage, snapshots and replicas hold the customers' data.", check: databaseEncrypted},
		{ID: "HH-RDS-002", Title: "Databases protected from deletion", Rationale: "A deleted database cannot be brought back from Terraform.", check: databaseDeletionProtection},
		{ID: "HH-RDS-003", Title: "Database backups kept at least 7 days", Rationale: "Point-in-time recovery needs backups older than the problem it recovers from.", check: databaseBackupRetention},
		{ID: "HH-S3-001", Title: "S3 buckets encrypted with a customer-managed key", Rationale: "A customer-managed key lets key policies, not only bucket policies, decide who reads the data.", check: bucketEncryption},
		{ID: "HH-S3-002", Title: "S3 public access blocked", Rationale: "One permissive ACL or policy must not be able to publish a bucket.", check: bucketPublicAccessBlock},
		{ID: "HH-S3-003", Title: "S3 versioning on", Rationale: "Versions undo overwrites and deletions, by mistake or by an attacker.", check: bucketVersioning},
		{ID: "HH-S3-004", Title: "S3 bucket policy denies plain HTTP", Rationale: "Data in transit must be encrypted whichever client reads it.", check: bucketTLSOnly},
		{ID: "HH-STATE-001", Title: "Stateful resources protected from destroy", Rationale: "Buckets, keys, databases, tables, zones, secrets, vaults and log groups lose data when Terraform replaces them.", check: statefulProtected},
		{ID: "HH-TLS-001", Title: "TLS 1.3 on HTTPS listeners and ingress classes", Rationale: "Older TLS versions and cipher suites have known downgrade and decryption attacks.", check: tls13},
	}
}

// euDataStaysInEU reports replication out of EU buckets and backup copies
// from EU vaults to vaults outside the EU.
func euDataStaysInEU(s *Stack) []finding {
	var out []finding
	for _, r := range s.resources("aws_s3_bucket_replication_configuration") {
		if isEU(s.providerRegion(r)) {
			out = append(out, finding{r.address(), "an EU bucket replicates to a bucket whose region the policy cannot confirm",
				"remove the replication, or replicate only between EU regions and suppress HH-DATA-001 with the destination named"})
		}
	}
	for _, r := range s.resources("aws_s3_bucket") {
		if isEU(s.providerRegion(r)) && len(blocks(r.body, "replication_configuration")) > 0 {
			out = append(out, finding{r.address(), "an EU bucket replicates to a bucket whose region the policy cannot confirm",
				"remove the replication_configuration block"})
		}
	}
	for _, r := range s.resources("aws_db_instance_automated_backups_replication") {
		if source := arnRegion(stringOf(r.body["source_db_instance_arn"])); isEU(source) && !isEU(s.providerRegion(r)) {
			out = append(out, finding{r.address(), fmt.Sprintf("backups of an EU database are copied to %s", s.providerRegion(r)),
				"copy EU database backups only to another EU region"})
		}
	}
	for _, r := range s.resources("aws_dynamodb_table") {
		if !isEU(s.providerRegion(r)) {
			continue
		}
		for _, replica := range blocks(r.body, "replica") {
			if region := stringOf(replica["region_name"]); !isEU(region) {
				out = append(out, finding{r.address(), fmt.Sprintf("an EU table has a replica in %s", region), "keep the replicas of EU tables in EU regions"})
			}
		}
	}
	for _, r := range s.resources("aws_dynamodb_table_replica") {
		if source := arnRegion(stringOf(r.body["global_table_arn"])); isEU(source) && !isEU(s.providerRegion(r)) {
			out = append(out, finding{r.address(), fmt.Sprintf("an EU table has a replica in %s", s.providerRegion(r)), "keep the replicas of EU tables in EU regions"})
		}
	}
	vaultRegions := map[string]string{}
	for _, v := range s.resources("aws_backup_vault") {
		vaultRegions["${aws_backup_vault."+v.name+".arn}"] = s.providerRegion(v)
	}
	for _, r := range s.resources("aws_backup_plan") {
		if !isEU(s.providerRegion(r)) {
			continue
		}
		for _, rule := range blocks(r.body, "rule") {
			for _, copy := range blocks(rule, "copy_action") {
				dest, _ := copy["destination_vault_arn"].(string)
				region, known := vaultRegions[dest]
				if !known {
					region = arnRegion(dest)
				}
				if !isEU(region) {
					out = append(out, finding{r.address(), fmt.Sprintf("an EU backup plan copies to %q, outside the EU", dest),
						"copy EU backups only to a vault in another EU region, or not at all"})
				}
			}
		}
	}
	return out
}

func isEU(region string) bool { return strings.HasPrefix(region, "eu-") }

// arnRegion returns the region field of an ARN, or "".
func arnRegion(arn string) string {
	parts := strings.SplitN(arn, ":", 5)
	if len(parts) < 5 {
		return ""
	}
	return parts[3]
}

func imdsV2(s *Stack) []finding {
	var out []finding
	for _, r := range append(s.resources("aws_launch_template"), s.resources("aws_instance")...) {
		if tokens, _ := block(r.body, "metadata_options")["http_tokens"].(string); tokens != "required" {
			out = append(out, finding{r.address(), fmt.Sprintf("metadata_options.http_tokens is %q", tokens),
				"set metadata_options.http_tokens to \"required\""})
		}
	}
	return out
}

func eksPrivateEndpoint(s *Stack) []finding {
	var out []finding
	for _, r := range s.resources("aws_eks_cluster") {
		vpc := block(r.body, "vpc_config")
		// The API endpoint is public unless the configuration turns it off.
		if public, set := vpc["endpoint_public_access"].(bool); s.Tier != "test" && (public || !set) {
			out = append(out, finding{r.address(), fmt.Sprintf("the API endpoint is public in a %s environment", tierName(s.Tier)),
				"turn endpoint_public_access off; reach the API through Twingate"})
		}
		if !isTrue(vpc["endpoint_private_access"]) {
			out = append(out, finding{r.address(), "the private API endpoint is off", "turn endpoint_private_access on"})
		}
		if slices.ContainsFunc(stringList(vpc["public_access_cidrs"]), func(c string) bool { return c == "0.0.0.0/0" || c == "::/0" }) {
			out = append(out, finding{r.address(), "the public API endpoint admits the whole internet", "list only the office or VPN egress ranges in public_access_cidrs"})
		}
	}
	return out
}

func tierName(tier string) string {
	if tier == "" {
		return "non-test"
	}
	return tier
}

func eksSecretsEncryption(s *Stack) []finding {
	var out []finding
	for _, r := range s.resources("aws_eks_cluster") {
		enc := block(r.body, "encryption_config")
		key, _ := block(enc, "provider")["key_arn"].(string)
		if !slices.Contains(stringList(enc["resources"]), "secrets") || key == "" {
			out = append(out, finding{r.address(), "Kubernetes Secrets are not encrypted with a KMS key",
				"set encryption_config with resources [\"secrets\"] and the cluster key's ARN"})
		}
	}
	return out
}

// controlPlaneLogTypes are every EKS control-plane log type.
var controlPlaneLogTypes = []string{"api", "audit", "authenticator", "controllerManager", "scheduler"}

func eksControlPlaneLogs(s *Stack) []finding {
	var out []finding
	for _, r := range s.resources("aws_eks_cluster") {
		enabled := stringList(r.body["enabled_cluster_log_types"])
		var missing []string
		for _, t := range controlPlaneLogTypes {
			if !slices.Contains(enabled, t) {
				missing = append(missing, t)
			}
		}
		if len(missing) > 0 {
			out = append(out, finding{r.address(), fmt.Sprintf("control-plane logs %s are off", strings.Join(missing, ", ")),
				"list every type in enabled_cluster_log_types: " + strings.Join(controlPlaneLogTypes, ", ")})
		}
	}
	return out
}

// githubIssuer is the host of GitHub Actions' OIDC tokens.
const githubIssuer = "token.actions.githubusercontent.com"

func githubTrustPinned(s *Stack) []finding {
	githubProviders := map[string]bool{}
	for _, p := range s.resources("aws_iam_openid_connect_provider") {
		if url, _ := p.body["url"].(string); strings.Contains(url, githubIssuer) {
			githubProviders["${aws_iam_openid_connect_provider."+p.name+".arn}"] = true
		}
	}

	var out []finding
	for _, r := range s.resources("aws_iam_role") {
		trust, _ := s.policyOf(r.body["assume_role_policy"])
		for _, st := range trust {
			webIdentity := slices.ContainsFunc(stringList(st.Action), func(a string) bool { return actionMatches(a, "sts:AssumeRoleWithWebIdentity") })
			if st.Effect != "Allow" || !webIdentity {
				continue
			}
			federated := st.principals("Federated")
			github := slices.ContainsFunc(federated, func(f string) bool { return githubProviders[f] || strings.Contains(f, githubIssuer) })
			for _, keys := range st.Condition {
				for key := range keys {
					github = github || strings.HasPrefix(key, githubIssuer+":")
				}
			}
			if !github {
				continue
			}
			if problem := githubConditionProblem(st.Condition); problem != "" {
				out = append(out, finding{r.address(), problem,
					"require StringEquals on " + githubIssuer + ":aud (\"sts.amazonaws.com\") and on :sub with the exact repository and branch, pull request or environment"})
			}
		}
	}
	return out
}

// githubConditionProblem returns what is wrong with the conditions of a
// GitHub trust statement, or "".
func githubConditionProblem(conditions map[string]map[string]any) string {
	equals := conditions["StringEquals"]
	sub := stringList(equals[githubIssuer+":sub"])
	aud := stringList(equals[githubIssuer+":aud"])
	switch {
	case len(sub) == 0:
		return "the trust has no StringEquals condition on the token's sub"

	case len(aud) == 0:
		return "the trust has no StringEquals condition on the token's aud"

	case slices.ContainsFunc(sub, func(v string) bool { return strings.ContainsAny(v, "*?") }):
		return fmt.Sprintf("the sub condition %q has a wildcard", sub)
	}
	for operator, keys := range conditions {
		if operator != "StringEquals" && keys[githubIssuer+":sub"] != nil {
			return fmt.Sprintf("the sub is also matched with %s, which widens it", operator)
		}
	}
	return ""
}

// identityPolicies returns the identity-based policy statements of a stack
// by the address of the resource that holds them. Resource policies (key,
// bucket, secret and queue policies) are left out: their "*" resource means
// the resource the policy is attached to.
func identityPolicies(s *Stack) map[string][]policyStatement {
	out := map[string][]policyStatement{}
	for _, typ := range identityPolicyTypes {
		for _, r := range s.resources(typ) {
			statements, _ := s.policyOf(r.body["policy"])
			out[r.address()] = statements
		}
	}
	for _, r := range s.resources("aws_iam_role") {
		for _, inline := range blocks(r.body, "inline_policy") {
			statements, _ := s.policyOf(inline["policy"])
			out[r.address()] = append(out[r.address()], statements...)
		}
	}
	return out
}

// identityPolicyTypes hold an identity-based policy in their policy
// attribute.
var identityPolicyTypes = []string{"aws_iam_role_policy", "aws_iam_policy", "aws_iam_user_policy", "aws_iam_group_policy"}

// trustNamesPrincipals reports role trusts that admit every principal.
func trustNamesPrincipals(s *Stack) []finding {
	var out []finding
	for _, r := range s.resources("aws_iam_role") {
		trust, _ := s.policyOf(r.body["assume_role_policy"])
		for _, st := range trust {
			if st.Effect == "Allow" && slices.Contains(st.principals("*"), "*") {
				out = append(out, finding{r.address(), fmt.Sprintf("trust statement %q admits the principal \"*\"", st.Sid),
					"name the exact accounts, roles or services that may assume the role"})
			}
		}
	}
	return out
}

// policiesReadable reports IAM policies the other rules cannot read.
func policiesReadable(s *Stack) []finding {
	var out []finding
	check := func(address, attribute string, value any) {
		if value == nil {
			return
		}
		if _, ok := s.policyOf(value); !ok {
			out = append(out, finding{address, attribute + " is neither JSON nor an aws_iam_policy_document, so the policy rules cannot read it",
				"build the policy with the iampolicy package or an aws_iam_policy_document data source"})
		}
	}
	for _, typ := range identityPolicyTypes {
		for _, r := range s.resources(typ) {
			check(r.address(), "policy", r.body["policy"])
		}
	}
	for _, r := range s.resources("aws_iam_role") {
		check(r.address(), "assume_role_policy", r.body["assume_role_policy"])
		for _, inline := range blocks(r.body, "inline_policy") {
			check(r.address(), "inline_policy.policy", inline["policy"])
		}
	}
	return out
}

func noAllActions(s *Stack) []finding {
	var out []finding
	policies := identityPolicies(s)
	for _, address := range sortedKeys(policies) {
		for _, st := range policies[address] {
			if st.Effect != "Allow" {
				continue
			}
			if slices.ContainsFunc(stringList(st.Action), func(a string) bool { return a == "*" || a == "*:*" }) {
				out = append(out, finding{address, fmt.Sprintf("statement %q allows every action", st.Sid),
					"list the actions the role needs"})
			}
			if len(stringList(st.NotAction)) > 0 {
				out = append(out, finding{address, fmt.Sprintf("statement %q allows every action except those in NotAction", st.Sid),
					"list the actions the role needs in Action"})
			}
		}
	}
	admin := func(arn string) bool { return strings.HasSuffix(arn, ":policy/AdministratorAccess") }
	for _, typ := range []string{"aws_iam_role_policy_attachment", "aws_iam_policy_attachment", "aws_iam_user_policy_attachment", "aws_iam_group_policy_attachment"} {
		for _, r := range s.resources(typ) {
			if admin(stringOf(r.body["policy_arn"])) {
				out = append(out, finding{r.address(), "the AdministratorAccess managed policy allows every action",
					"attach a policy with the actions the role needs"})
			}
		}
	}
	for _, r := range s.resources("aws_iam_role") {
		if slices.ContainsFunc(stringList(r.body["managed_policy_arns"]), admin) {
			out = append(out, finding{r.address(), "managed_policy_arns includes AdministratorAccess, which allows every action",
				"attach a policy with the actions the role needs"})
		}
	}
	return out
}

// sensitiveActions may not be allowed on every resource.
var sensitiveActions = []string{"kms:Decrypt", "secretsmanager:GetSecretValue", "secretsmanager:BatchGetSecretValue", "iam:PassRole", "s3:GetObject"}

func noWildcardOnSensitiveActions(s *Stack) []finding {
	var out []finding
	policies := identityPolicies(s)
	for _, address := range sortedKeys(policies) {
		for _, st := range policies[address] {
			everywhere := slices.ContainsFunc(stringList(st.Resource), anyResource) || st.NotResource != nil
			if st.Effect != "Allow" || !everywhere {
				continue
			}
			for _, sensitive := range sensitiveActions {
				if slices.ContainsFunc(stringList(st.Action), func(a string) bool { return actionMatches(a, sensitive) }) {
					out = append(out, finding{address, fmt.Sprintf("statement %q allows %s on every resource", st.Sid, sensitive),
						"name the keys, secrets, roles or buckets the statement is for"})
				}
			}
		}
	}
	return out
}

// anyResource reports whether an IAM resource covers resources of every
// account or every bucket: "*", an ARN whose account is "*", or an S3 ARN
// whose bucket starts with "*".
func anyResource(resource string) bool {
	if resource == "*" {
		return true
	}
	parts := strings.SplitN(resource, ":", 6)
	if len(parts) < 6 {
		return false
	}
	if parts[2] == "s3" {
		return strings.HasPrefix(parts[5], "*")
	}
	return parts[4] == "*"
}

// actionMatches reports whether the IAM action pattern covers action.
// IAM matches action names without regard to case.
func actionMatches(pattern, action string) bool {
	ok, err := path.Match(strings.ToLower(pattern), strings.ToLower(action))
	return err == nil && ok
}

func kmsRotation(s *Stack) []finding {
	var out []finding
	for _, r := range s.resources("aws_kms_key") {
		if !isTrue(r.body["enable_key_rotation"]) {
			out = append(out, finding{r.address(), "key rotation is off", "set enable_key_rotation to true"})
		}
	}
	return out
}

func kmsDeletionWindow(s *Stack) []finding {
	var out []finding
	for _, r := range s.resources("aws_kms_key") {
		days, ok := number(r.body["deletion_window_in_days"])
		if !ok || days < 7 || days > 30 {
			out = append(out, finding{r.address(), fmt.Sprintf("deletion_window_in_days is %v", r.body["deletion_window_in_days"]),
				"set deletion_window_in_days from 7 to 30"})
		}
	}
	return out
}

func logGroups(s *Stack) []finding {
	var out []finding
	for _, r := range s.resources("aws_cloudwatch_log_group") {
		if key, _ := r.body["kms_key_id"].(string); key == "" {
			out = append(out, finding{r.address(), "the log group is not encrypted with a KMS key", "set kms_key_id to the logs key's ARN"})
		}
		if days, ok := number(r.body["retention_in_days"]); !ok || days <= 0 {
			out = append(out, finding{r.address(), "the log group keeps its logs forever", "set retention_in_days"})
		}
	}
	return out
}

func messagingEncrypted(s *Stack) []finding {
	var out []finding
	for _, r := range s.resources("aws_sqs_queue") {
		if key, _ := r.body["kms_master_key_id"].(string); key == "" && !isTrue(r.body["sqs_managed_sse_enabled"]) {
			out = append(out, finding{r.address(), "the queue is not encrypted", "set kms_master_key_id, or sqs_managed_sse_enabled for a queue AWS services write to"})
		}
	}
	for _, r := range s.resources("aws_sns_topic") {
		if key, _ := r.body["kms_master_key_id"].(string); key == "" {
			out = append(out, finding{r.address(), "the topic is not encrypted", "set kms_master_key_id"})
		}
	}
	return out
}

// publicWebPorts are the ports the public load balancers may open to the
// internet.
var publicWebPorts = []float64{80, 443}

func noWorldIngress(s *Stack) []finding {
	var out []finding
	world := func(v4, v6 []string) bool {
		return slices.Contains(v4, "0.0.0.0/0") || slices.Contains(v6, "::/0")
	}
	check := func(address string, from, to any) {
		lo, okLo := number(from)
		hi, okHi := number(to)
		web := okLo && okHi && lo == hi && slices.Contains(publicWebPorts, lo)
		if web && strings.Contains(pathOf(s.resourceAt(address), s.Name, address), "/public_entry/") {
			return
		}
		out = append(out, finding{address, fmt.Sprintf("ports %v to %v are open to the whole internet", from, to),
			"admit only the ranges or security groups that need the port; only the public load balancer may open 80 and 443 to everyone"})
	}

	for _, r := range s.resources("aws_vpc_security_group_ingress_rule") {
		if world(stringList(r.body["cidr_ipv4"]), stringList(r.body["cidr_ipv6"])) {
			check(r.address(), r.body["from_port"], r.body["to_port"])
		}
	}
	for _, r := range s.resources("aws_security_group_rule") {
		if r.body["type"] == "ingress" && world(stringList(r.body["cidr_blocks"]), stringList(r.body["ipv6_cidr_blocks"])) {
			check(r.address(), r.body["from_port"], r.body["to_port"])
		}
	}
	for _, r := range s.resources("aws_security_group") {
		for _, in := range blocks(r.body, "ingress") {
			if world(stringList(in["cidr_blocks"]), stringList(in["ipv6_cidr_blocks"])) {
				check(r.address(), in["from_port"], in["to_port"])
			}
		}
	}
	return out
}

func vpcFlowLogs(s *Stack) []finding {
	flowLogs := s.resources("aws_flow_log")
	var out []finding
	for _, v := range s.resources("aws_vpc") {
		if !slices.ContainsFunc(flowLogs, func(f resource) bool { return refersTo(f.body["vpc_id"], v) }) {
			out = append(out, finding{v.address(), "the VPC has no flow log", "add an aws_flow_log for the VPC, as network.NewFlowLogs does"})
		}
	}
	for _, d := range s.dataSources("aws_vpc") {
		id, _ := d.body["id"].(string)
		if !slices.ContainsFunc(flowLogs, func(f resource) bool { return f.body["vpc_id"] == id }) {
			out = append(out, finding{"data." + d.address(), fmt.Sprintf("the adopted VPC %s has no flow log", id), "add an aws_flow_log for the VPC"})
		}
	}
	return out
}

func defaultSecurityGroupClosed(s *Stack) []finding {
	groups := s.resources("aws_default_security_group")
	var out []finding
	for _, v := range s.resources("aws_vpc") {
		i := slices.IndexFunc(groups, func(g resource) bool { return refersTo(g.body["vpc_id"], v) })
		if i < 0 {
			out = append(out, finding{v.address(), "the VPC's default security group is left with its default rules",
				"manage it with an aws_default_security_group without rules"})
		}
	}
	for _, g := range groups {
		if len(blocks(g.body, "ingress")) > 0 || len(blocks(g.body, "egress")) > 0 {
			out = append(out, finding{g.address(), "the default security group has rules", "remove every ingress and egress rule"})
		}
	}
	return out
}

// databases returns the RDS clusters and instances of a stack. Aurora
// instances take their storage settings from their cluster.
func databases(s *Stack) []resource {
	return append(s.resources("aws_rds_cluster"), s.resources("aws_db_instance")...)
}

func databaseEncrypted(s *Stack) []finding {
	var out []finding
	for _, r := range databases(s) {
		key, _ := r.body["kms_key_id"].(string)
		if !isTrue(r.body["storage_encrypted"]) || key == "" {
			out = append(out, finding{r.address(), "storage is not encrypted with a KMS key", "set storage_encrypted and kms_key_id to the data key's ARN"})
		}
	}
	return out
}

func databaseDeletionProtection(s *Stack) []finding {
	var out []finding
	for _, r := range databases(s) {
		if !isTrue(r.body["deletion_protection"]) {
			out = append(out, finding{r.address(), "deletion protection is off", "set deletion_protection to true"})
		}
	}
	return out
}

func databaseBackupRetention(s *Stack) []finding {
	var out []finding
	for _, r := range databases(s) {
		if days, ok := number(r.body["backup_retention_period"]); !ok || days < 7 {
			out = append(out, finding{r.address(), fmt.Sprintf("backup_retention_period is %v", r.body["backup_retention_period"]),
				"keep backups for at least 7 days"})
		}
	}
	return out
}

// bucketFor returns the bucket-level resources of type typ that configure
// bucket b.
func bucketFor(s *Stack, typ string, b resource) []resource {
	var out []resource
	for _, r := range s.resources(typ) {
		if refersTo(r.body["bucket"], b) || (r.body["bucket"] != nil && r.body["bucket"] == b.body["bucket"]) {
			out = append(out, r)
		}
	}
	return out
}

func bucketEncryption(s *Stack) []finding {
	var out []finding
	for _, b := range s.resources("aws_s3_bucket") {
		ok := false
		for _, c := range bucketFor(s, "aws_s3_bucket_server_side_encryption_configuration", b) {
			for _, rule := range blocks(c.body, "rule") {
				def := block(rule, "apply_server_side_encryption_by_default")
				key, _ := def["kms_master_key_id"].(string)
				if strings.HasPrefix(stringOf(def["sse_algorithm"]), "aws:kms") && key != "" && !strings.Contains(key, "alias/aws/") {
					ok = true
				}
			}
		}
		if !ok {
			out = append(out, finding{b.address(), "the bucket is not encrypted with a customer-managed KMS key",
				"add an aws_s3_bucket_server_side_encryption_configuration with sse_algorithm aws:kms and the key's ARN"})
		}
	}
	return out
}

func stringOf(v any) string {
	s, _ := v.(string)
	return s
}

func bucketPublicAccessBlock(s *Stack) []finding {
	var out []finding
	for _, b := range s.resources("aws_s3_bucket") {
		ok := slices.ContainsFunc(bucketFor(s, "aws_s3_bucket_public_access_block", b), func(p resource) bool {
			return isTrue(p.body["block_public_acls"]) && isTrue(p.body["block_public_policy"]) &&
				isTrue(p.body["ignore_public_acls"]) && isTrue(p.body["restrict_public_buckets"])
		})
		if !ok {
			out = append(out, finding{b.address(), "public access is not blocked", "add an aws_s3_bucket_public_access_block with all four settings true"})
		}
	}
	return out
}

func bucketVersioning(s *Stack) []finding {
	var out []finding
	for _, b := range s.resources("aws_s3_bucket") {
		ok := slices.ContainsFunc(bucketFor(s, "aws_s3_bucket_versioning", b), func(v resource) bool {
			return block(v.body, "versioning_configuration")["status"] == "Enabled"
		})
		if !ok {
			out = append(out, finding{b.address(), "versioning is off", "add an aws_s3_bucket_versioning with status Enabled"})
		}
	}
	return out
}

func bucketTLSOnly(s *Stack) []finding {
	var out []finding
	for _, b := range s.resources("aws_s3_bucket") {
		ok := false
		for _, p := range bucketFor(s, "aws_s3_bucket_policy", b) {
			for _, st := range parsePolicy(p.body["policy"]) {
				if st.Effect == "Deny" && slices.Contains(stringList(st.Condition["Bool"]["aws:SecureTransport"]), "false") {
					ok = true
				}
			}
		}
		if !ok {
			out = append(out, finding{b.address(), "the bucket policy does not deny requests over plain HTTP",
				"add a Deny statement for every action when aws:SecureTransport is false"})
		}
	}
	return out
}

// statefulTypes are the resource types that hold data Terraform would lose
// by replacing them.
var statefulTypes = []string{
	"aws_s3_bucket", "aws_kms_key", "aws_rds_cluster", "aws_db_instance", "aws_dynamodb_table",
	"aws_route53_zone", "aws_secretsmanager_secret", "aws_backup_vault", "aws_cloudwatch_log_group",
	"aws_efs_file_system", "aws_ecr_repository",
}

func statefulProtected(s *Stack) []finding {
	var out []finding
	for _, typ := range statefulTypes {
		for _, r := range s.resources(typ) {
			if !isTrue(dig(r.body, "lifecycle", "prevent_destroy")) {
				out = append(out, finding{r.address(), "Terraform may destroy it, and its data with it",
					"set lifecycle prevent_destroy (and any deletion protection the service has)"})
			}
		}
	}
	return out
}

// tls13Policy is the ELB security policy that allows TLS 1.3 only.
const tls13Policy = "ELBSecurityPolicy-TLS13-1-3-2021-06"

func tls13(s *Stack) []finding {
	var out []finding
	for _, r := range append(s.resources("aws_lb_listener"), s.resources("aws_alb_listener")...) {
		protocol := strings.ToUpper(stringOf(r.body["protocol"]))
		if protocol != "HTTPS" && protocol != "TLS" {
			continue
		}
		if policy, _ := r.body["ssl_policy"].(string); !strings.Contains(policy, "TLS13-1-3") {
			out = append(out, finding{r.address(), fmt.Sprintf("the listener's ssl_policy is %q", policy), "set ssl_policy to " + tls13Policy})
		}
	}
	for _, r := range s.resources("helm_release") {
		for _, object := range releaseObjects(r.body) {
			if object["kind"] != "IngressClassParams" {
				continue
			}
			if policy, _ := dig(object, "spec", "sslPolicy").(string); !strings.Contains(policy, "TLS13-1-3") {
				out = append(out, finding{r.address(), fmt.Sprintf("IngressClassParams %v has sslPolicy %q", dig(object, "metadata", "name"), policy),
					"set spec.sslPolicy to " + tls13Policy})
			}
		}
	}
	return out
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}
