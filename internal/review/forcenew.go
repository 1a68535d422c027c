package review

// forceNew maps a resource type to the attribute paths whose change makes
// Terraform destroy and recreate the resource. Paths use "." between
// nested blocks, without list indexes; a path also covers everything
// below it. A type with an empty list is known to update every argument in
// place. Types missing from the table are reported as "replacement
// unknown".
//
// Source: the ForceNew and RequiresReplace markers in the resource schemas
// of the Terraform AWS provider (hashicorp/terraform-provider-aws). The
// schemas were read on a 6.x main branch, while the stacks pin 5.99.1.
// The helm (2.17), kubernetes (2.37) and twingate entries come from their
// resource documentation. Entries marked NOTE are not confirmed for the
// pinned version. Conditional replacements (CustomizeDiff rules) are in
// forceNewOnRemoval or only noted.
var forceNew = map[string][]string{
	// IAM.
	"aws_iam_role":                   {"name", "name_prefix", "path"},
	"aws_iam_role_policy":            {"name", "name_prefix", "role"},
	"aws_iam_role_policy_attachment": {"role", "policy_arn"},
	"aws_iam_policy":                 {"name", "name_prefix", "path", "description"},
	// NOTE: client_id_list updates in place on the 6.x branch; older
	// versions forced replacement.
	"aws_iam_openid_connect_provider": {"url"},
	"aws_accessanalyzer_analyzer":     {"analyzer_name", "type", "configuration"},

	// Logging, events and auditing.
	"aws_cloudwatch_log_group":    {"name", "name_prefix", "log_group_class"},
	"aws_cloudwatch_event_rule":   {"name", "name_prefix", "event_bus_name"},
	"aws_cloudwatch_event_target": {"rule", "target_id", "event_bus_name"},
	"aws_cloudtrail":              {"name"},
	"aws_flow_log": {
		"vpc_id", "subnet_id", "eni_id", "transit_gateway_id", "transit_gateway_attachment_id",
		"log_destination", "log_destination_type", "log_group_name", "log_format",
		"iam_role_arn", "deliver_cross_account_role", "traffic_type",
		"max_aggregation_interval", "destination_options",
	},

	// Security groups. The rule resources update ports, protocols and peers
	// in place; only the group they belong to is fixed.
	"aws_vpc_security_group_ingress_rule": {"security_group_id"},
	"aws_vpc_security_group_egress_rule":  {"security_group_id"},
	"aws_security_group":                  {"name", "name_prefix", "description", "vpc_id"},
	// Terraform adopts the default group rather than creating one, so a
	// "replacement" only re-adopts it in the new VPC.
	"aws_default_security_group": {"vpc_id"},

	// Secrets and keys.
	"aws_secretsmanager_secret":         {"name", "name_prefix"},
	"aws_secretsmanager_secret_version": {"secret_id", "secret_string", "secret_binary", "secret_string_wo_version"},
	"aws_secretsmanager_secret_policy":  {"secret_arn"},
	"aws_kms_key": {
		"customer_master_key_spec", "key_usage", "multi_region",
		"custom_key_store_id", "xks_key_id",
	},
	"aws_kms_alias": {"name", "name_prefix"},

	// S3. Every companion resource is bound to one bucket.
	"aws_s3_bucket":                                      {"bucket", "bucket_prefix", "object_lock_enabled"},
	"aws_s3_bucket_lifecycle_configuration":              {"bucket", "expected_bucket_owner"},
	"aws_s3_bucket_logging":                              {"bucket", "expected_bucket_owner"},
	"aws_s3_bucket_ownership_controls":                   {"bucket"},
	"aws_s3_bucket_policy":                               {"bucket"},
	"aws_s3_bucket_public_access_block":                  {"bucket"},
	"aws_s3_bucket_replication_configuration":            {"bucket"},
	"aws_s3_bucket_server_side_encryption_configuration": {"bucket", "expected_bucket_owner"},
	"aws_s3_bucket_versioning":                           {"bucket", "expected_bucket_owner"},
	"aws_s3_account_public_access_block":                 {"account_id"},

	// DNS and certificates.
	// NOTE: record type and set_identifier changes are applied as one
	// delete-and-create change batch that Terraform plans as an update.
	"aws_route53_record": {"name", "zone_id"},
	"aws_route53_zone":   {"name", "delegation_set_id"},
	// NOTE: validation_method is assumed to update in place; key_algorithm
	// and the names are confirmed to force replacement.
	"aws_acm_certificate": {
		"domain_name", "subject_alternative_names", "key_algorithm",
		"certificate_authority_arn", "validation_option",
	},
	// The resource has no update: every argument forces replacement.
	"aws_acm_certificate_validation": {"certificate_arn", "validation_record_fqdns"},

	// Networking.
	"aws_vpc": {"cidr_block", "ipv4_ipam_pool_id", "ipv4_netmask_length"},
	"aws_subnet": {
		"vpc_id", "cidr_block", "availability_zone", "availability_zone_id",
		"ipv6_native", "outpost_arn",
	},
	"aws_route_table": {"vpc_id"},
	// route_table_id is updated in place by replacing the association.
	"aws_route_table_association": {"subnet_id", "gateway_id"},
	"aws_route":                   {"route_table_id", "destination_cidr_block", "destination_ipv6_cidr_block", "destination_prefix_list_id"},
	"aws_nat_gateway":             {"allocation_id", "subnet_id", "connectivity_type", "private_ip"},
	// Attaching the gateway to another VPC is an update.
	"aws_internet_gateway": {},
	"aws_eip": {
		"domain", "vpc", "address", "public_ipv4_pool", "customer_owned_ipv4_pool",
		"network_border_group", "ipam_pool_id",
	},
	"aws_vpc_endpoint": {
		"vpc_id", "service_name", "vpc_endpoint_type", "service_region",
		"resource_configuration_arn", "service_network_arn",
	},
	"aws_vpc_endpoint_service": {},
	"aws_ec2_tag":              {"resource_id", "key"},
	// NOTE: removing a subnet from a network load balancer forces
	// replacement, which this table cannot express. Other load balancer
	// types update their subnets in place.
	"aws_lb":              {"name", "name_prefix", "internal", "load_balancer_type", "customer_owned_ipv4_pool"},
	"aws_lb_target_group": {"name", "name_prefix", "port", "protocol", "protocol_version", "vpc_id", "target_type", "ip_address_type"},
	"aws_lb_listener":     {"load_balancer_arn"},

	// EKS.
	"aws_eks_cluster": {
		"name", "role_arn", "bootstrap_self_managed_addons",
		"access_config.bootstrap_cluster_creator_admin_permissions",
		"kubernetes_network_config.ip_family", "kubernetes_network_config.service_ipv4_cidr",
		"outpost_config", "remote_network_config",
	},
	"aws_eks_node_group": {
		"cluster_name", "node_group_name", "node_group_name_prefix", "node_role_arn",
		"subnet_ids", "ami_type", "capacity_type", "disk_size", "instance_types",
		"remote_access", "launch_template.id", "launch_template.name",
	},
	"aws_eks_addon":                     {"cluster_name", "addon_name"},
	"aws_eks_access_entry":              {"cluster_name", "principal_arn", "type"},
	"aws_eks_access_policy_association": {"cluster_name", "principal_arn", "policy_arn", "access_scope"},
	// NOTE: role_arn and target_role_arn update in place on the 6.x branch.
	"aws_eks_pod_identity_association": {"cluster_name", "namespace", "service_account"},
	// Only name and name_prefix replace the template; every other change
	// creates a new template version in place.
	"aws_launch_template": {"name", "name_prefix"},

	// ECS. A task definition revision cannot change, so nearly every argument
	// registers a new revision and deregisters the old one.
	"aws_ecs_task_definition": {
		"family", "container_definitions", "task_role_arn", "execution_role_arn",
		"network_mode", "cpu", "memory", "requires_compatibilities", "runtime_platform",
		"volume", "placement_constraints", "ipc_mode", "pid_mode", "proxy_configuration",
		"ephemeral_storage", "inference_accelerator",
	},
	// NOTE: load_balancer and service_registries are assumed to update in
	// place, which the provider has allowed since 2023.
	"aws_ecs_service": {"name", "cluster", "launch_type", "iam_role", "scheduling_strategy", "deployment_controller"},
	"aws_ecs_cluster": {"name"},

	// Databases and queues.
	"aws_db_subnet_group": {"name", "name_prefix"},
	// availability_zones forces replacement even though RDS fills it in by
	// itself, so a change there deserves a second look.
	"aws_rds_cluster": {
		"cluster_identifier", "cluster_identifier_prefix", "engine", "engine_mode",
		"kms_key_id", "storage_encrypted", "availability_zones", "database_name",
		"master_username", "snapshot_identifier", "db_subnet_group_name",
		"source_region", "s3_import", "restore_to_point_in_time",
	},
	"aws_rds_cluster_instance": {
		"identifier", "identifier_prefix", "cluster_identifier", "engine",
		"db_subnet_group_name", "availability_zone", "custom_iam_instance_profile",
	},
	"aws_rds_cluster_parameter_group": {"name", "name_prefix", "family", "description"},
	"aws_dynamodb_table":              {"name", "hash_key", "range_key", "local_secondary_index"},
	"aws_sqs_queue":                   {"name", "name_prefix", "fifo_queue"},
	"aws_sqs_queue_policy":            {"queue_url"},

	// Backup.
	"aws_backup_vault": {"name", "kms_key_arn"},
	"aws_backup_plan":  {"name"},
	// The resource has no update: every argument forces replacement.
	"aws_backup_selection": {"name", "plan_id", "iam_role_arn", "resources", "not_resources", "selection_tag", "condition"},

	// Account-level settings that have no arguments to replace.
	"aws_ebs_encryption_by_default": {},
	"aws_xray_encryption_config":    {},
	// NOTE: assumed to force replacement because the resource has no update.
	"aws_ebs_default_kms_key": {"key_arn"},

	// Kubernetes and Helm.
	"helm_release": {"name", "namespace"},
	// StorageClass fields other than allowVolumeExpansion are immutable in
	// the Kubernetes API.
	"kubernetes_storage_class_v1": {
		"metadata.name", "storage_provisioner", "parameters", "reclaim_policy",
		"volume_binding_mode", "mount_options", "allowed_topologies",
	},

	// Twingate. NOTE: taken from the provider documentation, not its source.
	"twingate_remote_network":   {},
	"twingate_connector":        {"remote_network_id"},
	"twingate_connector_tokens": {"connector_id", "keepers"},
}

// forceNewOnRemoval lists paths that force replacement only when a value
// that was set is removed, not when it is added or changed.
var forceNewOnRemoval = map[string][]string{
	// EKS cannot turn envelope encryption off once it is on. NOTE: adding
	// the block is an in-place update; EKS does not support changing the
	// key of an existing configuration, which Terraform plans as an update
	// that then fails.
	"aws_eks_cluster": {"encryption_config"},
}

// metaArguments are arguments that never replace a resource of any type:
// Terraform meta-arguments, and tags, which every tagged AWS resource
// updates in place.
var metaArguments = []string{"depends_on", "lifecycle", "provider", "timeouts", "tags", "tags_all"}
