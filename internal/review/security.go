package review

// resourceCategories gives every argument of these resource types a review
// category, so that creating, deleting or changing one is called out.
var resourceCategories = map[string]Category{
	"aws_iam_policy":                    CategoryIAM,
	"aws_iam_role_policy":               CategoryIAM,
	"aws_iam_role_policy_attachment":    CategoryIAM,
	"aws_iam_policy_attachment":         CategoryIAM,
	"aws_iam_role_policies_exclusive":   CategoryIAM,
	"aws_iam_user_policy":               CategoryIAM,
	"aws_iam_user_policy_attachment":    CategoryIAM,
	"aws_iam_group_policy":              CategoryIAM,
	"aws_iam_group_policy_attachment":   CategoryIAM,
	"aws_s3_bucket_policy":              CategoryIAM,
	"aws_sqs_queue_policy":              CategoryIAM,
	"aws_sns_topic_policy":              CategoryIAM,
	"aws_secretsmanager_secret_policy":  CategoryIAM,
	"aws_kms_grant":                     CategoryIAM,
	"aws_lambda_permission":             CategoryIAM,
	"aws_eks_access_entry":              CategoryIAM,
	"aws_eks_access_policy_association": CategoryIAM,
	// The association decides which pods receive a role's permissions.
	"aws_eks_pod_identity_association": CategoryIAM,

	"aws_vpc_security_group_ingress_rule": CategorySecurityGroup,
	"aws_vpc_security_group_egress_rule":  CategorySecurityGroup,
	"aws_security_group_rule":             CategorySecurityGroup,
	"aws_default_security_group":          CategorySecurityGroup,
}

// dataSourceCategories does the same for data sources.
var dataSourceCategories = map[string]Category{
	"aws_iam_policy_document": CategoryIAM,
}

// attributeCategories gives a review category to single arguments of
// resource types whose other arguments are not security-relevant. A path
// also covers everything below it.
var attributeCategories = map[string]map[string]Category{
	"aws_iam_role": {
		"assume_role_policy":   CategoryTrust,
		"inline_policy":        CategoryIAM,
		"managed_policy_arns":  CategoryIAM,
		"permissions_boundary": CategoryIAM,
	},
	"aws_kms_key":               {"policy": CategoryIAM},
	"aws_s3_bucket":             {"policy": CategoryIAM},
	"aws_sqs_queue":             {"policy": CategoryIAM},
	"aws_sns_topic":             {"policy": CategoryIAM},
	"aws_secretsmanager_secret": {"policy": CategoryIAM},
	"aws_vpc_endpoint":          {"policy": CategoryIAM},
	"aws_ecr_repository_policy": {"policy": CategoryIAM},
	"aws_security_group": {
		"ingress": CategorySecurityGroup,
		"egress":  CategorySecurityGroup,
	},
}

// attributeCategory returns the review category of one attribute change,
// or "" when it has none. Any attribute that holds an IAM policy document
// counts as IAM, whatever its resource type.
func attributeCategory(typ string, data bool, a AttributeChange) Category {
	path := schemaPath(a.Path)
	if coveredByAny(path, metaArguments) {
		return ""
	}
	if data {
		return dataSourceCategories[typ]
	}
	if category, ok := resourceCategories[typ]; ok {
		return category
	}
	for entry, category := range attributeCategories[typ] {
		if coveredBy(path, entry) {
			return category
		}
	}
	if a.Policy != nil {
		return CategoryIAM
	}
	return ""
}
