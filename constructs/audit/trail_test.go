package audit

import (
	"strings"
	"testing"

	"github.com/aws/jsii-runtime-go"
	"github.com/hashicorp/terraform-cdk-go/cdktf"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/honeyhive/platform/internal/synthtest"
)

const (
	testAccount     = "111122223333"
	testDeployARN   = "arn:aws:iam::111122223333:role/deploy"
	testBreakGlass  = "arn:aws:iam::111122223333:role/break-glass"
	testTrailARN    = "arn:aws:cloudtrail:us-west-2:111122223333:trail/prod-cloudtrail"
	testBucket      = "prod-cloudtrail-111122223333"
	testLogBucket   = "prod-cloudtrail-access-logs-111122223333"
	testBucketARN   = "arn:aws:s3:::" + testBucket
	testLogBktARN   = "arn:aws:s3:::" + testLogBucket
	keyRef          = "${aws_kms_key.audit_key.arn}"
	trailBucketRef  = "${aws_s3_bucket.audit_bucket.id}"
	accessBucketRef = "${aws_s3_bucket.audit_access_log_bucket.id}"
)

func testConfig() TrailConfig {
	return TrailConfig{
		Name:                "prod",
		AccountID:           testAccount,
		Region:              "us-west-2",
		KMSKeyAdminRoleARNs: []string{testDeployARN, testBreakGlass},
	}
}

// synthTrail builds a trail from cfg in a fresh stack, with outputs for its
// token outputs, and synthesizes it.
func synthTrail(t *testing.T, cfg TrailConfig) (*Trail, synthtest.Document) {
	t.Helper()
	stack := synthtest.Stack(t)
	trail := NewTrail(stack, "audit", cfg)
	cdktf.NewTerraformOutput(stack, jsii.String("trail_arn"), &cdktf.TerraformOutputConfig{Value: trail.TrailARN})
	cdktf.NewTerraformOutput(stack, jsii.String("key_arn"), &cdktf.TerraformOutputConfig{Value: trail.KeyARN})
	return trail, synthtest.Synth(t, stack)
}

// only returns the single element of a synthesized block list.
func only(t *testing.T, value any) map[string]any {
	t.Helper()
	list, ok := value.([]any)
	require.Truef(t, ok, "expected a block list, got %T", value)
	require.Len(t, list, 1)
	block, ok := list[0].(map[string]any)
	require.True(t, ok, "block is not an object")
	return block
}

// statements returns the statements of a decoded policy by Sid.
func statements(t *testing.T, policy map[string]any) map[string]map[string]any {
	t.Helper()
	list, ok := policy["Statement"].([]any)
	require.True(t, ok, "policy has no statement list")
	bySid := map[string]map[string]any{}
	for _, s := range list {
		statement, ok := s.(map[string]any)
		require.True(t, ok, "statement is not an object")
		sid, _ := statement["Sid"].(string)
		require.NotEmpty(t, sid, "statement without Sid")
		require.NotContains(t, bySid, sid, "repeated Sid")
		bySid[sid] = statement
	}
	return bySid
}

// lifecycleRules returns the rules of a lifecycle configuration by ID.
func lifecycleRules(t *testing.T, lifecycle map[string]any) map[string]map[string]any {
	t.Helper()
	list, ok := lifecycle["rule"].([]any)
	require.True(t, ok, "lifecycle configuration has no rules")
	byID := map[string]map[string]any{}
	for _, r := range list {
		rule := r.(map[string]any)
		byID[rule["id"].(string)] = rule
	}
	return byID
}

func TestTrailResources(t *testing.T) {
	trail, doc := synthTrail(t, testConfig())
	preventDestroy := map[string]any{"prevent_destroy": true}

	t.Run("key", func(t *testing.T) {
		key := doc.Resource(t, "aws_kms_key", "audit_key")
		assert.Equal(t, true, key["enable_key_rotation"])
		assert.EqualValues(t, 30, key["deletion_window_in_days"])
		assert.Equal(t, preventDestroy, key["lifecycle"])
		assert.Equal(t, map[string]any{"Name": "prod-cloudtrail"}, key["tags"])

		alias := doc.Resource(t, "aws_kms_alias", "audit_key_alias")
		assert.Equal(t, "alias/prod-cloudtrail", alias["name"])
		assert.Equal(t, "${aws_kms_key.audit_key.key_id}", alias["target_key_id"])
	})

	t.Run("trail", func(t *testing.T) {
		ct := doc.Resource(t, "aws_cloudtrail", "audit_trail")
		assert.Equal(t, "prod-cloudtrail", ct["name"])
		assert.Equal(t, true, ct["is_multi_region_trail"])
		assert.Equal(t, true, ct["include_global_service_events"])
		assert.Equal(t, true, ct["enable_log_file_validation"])
		assert.Equal(t, true, ct["enable_logging"])
		assert.Equal(t, keyRef, ct["kms_key_id"])
		assert.Equal(t, trailBucketRef, ct["s3_bucket_name"])
		assert.Contains(t, ct["depends_on"], "aws_s3_bucket_policy.audit_bucket_policy")
		assert.NotContains(t, ct, "is_organization_trail")
	})

	buckets := []struct{ id, name string }{
		{"audit_bucket", testBucket},
		{"audit_access_log_bucket", testLogBucket},
	}
	for _, b := range buckets {
		t.Run(b.id, func(t *testing.T) {
			bucket := doc.Resource(t, "aws_s3_bucket", b.id)
			assert.Equal(t, b.name, bucket["bucket"])
			assert.Equal(t, false, bucket["force_destroy"])
			assert.Equal(t, preventDestroy, bucket["lifecycle"])
			assert.Equal(t, map[string]any{"Name": b.name}, bucket["tags"])

			versioning := doc.Resource(t, "aws_s3_bucket_versioning", b.id+"_versioning")
			assert.Equal(t, "Enabled", versioning["versioning_configuration"].(map[string]any)["status"])

			block := doc.Resource(t, "aws_s3_bucket_public_access_block", b.id+"_public_access_block")
			for _, setting := range []string{"block_public_acls", "block_public_policy", "ignore_public_acls", "restrict_public_buckets"} {
				assert.Equal(t, true, block[setting], setting)
			}

			ownership := doc.Resource(t, "aws_s3_bucket_ownership_controls", b.id+"_ownership_controls")
			rule := ownership["rule"].(map[string]any)
			assert.Equal(t, "BucketOwnerEnforced", rule["object_ownership"])

			policy := doc.Resource(t, "aws_s3_bucket_policy", b.id+"_policy")
			assert.Contains(t, policy["depends_on"], "aws_s3_bucket_public_access_block."+b.id+"_public_access_block")

			lifecycle := doc.Resource(t, "aws_s3_bucket_lifecycle_configuration", b.id+"_lifecycle")
			assert.Contains(t, lifecycle["depends_on"], "aws_s3_bucket_versioning."+b.id+"_versioning")
			rules := lifecycleRules(t, lifecycle)
			require.Len(t, rules, 3)
			for id, r := range rules {
				assert.Equal(t, "Enabled", r["status"], id)
			}
			assert.EqualValues(t, DefaultRetentionDays, only(t, rules[ruleExpireObjects]["expiration"])["days"])
			assert.EqualValues(t, 90, only(t, rules[ruleExpireNoncurrent]["noncurrent_version_expiration"])["noncurrent_days"])
			assert.Equal(t, true, only(t, rules[ruleExpireNoncurrent]["expiration"])["expired_object_delete_marker"])
			assert.EqualValues(t, 7, only(t, rules[ruleAbortMultipartUploads]["abort_incomplete_multipart_upload"])["days_after_initiation"])
		})
	}

	t.Run("trail bucket encryption", func(t *testing.T) {
		encryption := doc.Resource(t, "aws_s3_bucket_server_side_encryption_configuration", "audit_bucket_encryption")
		rule := only(t, encryption["rule"])
		byDefault := rule["apply_server_side_encryption_by_default"].(map[string]any)
		assert.Equal(t, "aws:kms", byDefault["sse_algorithm"])
		assert.Equal(t, keyRef, byDefault["kms_master_key_id"])
		assert.Equal(t, false, rule["bucket_key_enabled"])
	})

	t.Run("access log bucket encryption", func(t *testing.T) {
		encryption := doc.Resource(t, "aws_s3_bucket_server_side_encryption_configuration", "audit_access_log_bucket_encryption")
		byDefault := only(t, encryption["rule"])["apply_server_side_encryption_by_default"].(map[string]any)
		assert.Equal(t, "AES256", byDefault["sse_algorithm"])
		assert.NotContains(t, byDefault, "kms_master_key_id")
	})

	t.Run("server access logging", func(t *testing.T) {
		logging := doc.Resource(t, "aws_s3_bucket_logging", "audit_bucket_logging")
		assert.Equal(t, trailBucketRef, logging["bucket"])
		assert.Equal(t, accessBucketRef, logging["target_bucket"])
		assert.Equal(t, testBucket+"/", logging["target_prefix"])
		assert.Contains(t, logging["depends_on"], "aws_s3_bucket_policy.audit_access_log_bucket_policy")
		assert.Len(t, doc.Resources("aws_s3_bucket_logging"), 1, "the access log bucket must not log itself")
	})

	t.Run("outputs", func(t *testing.T) {
		assert.Equal(t, "prod-cloudtrail", trail.TrailName)
		assert.Equal(t, testBucket, trail.BucketName)
		assert.Equal(t, testLogBucket, trail.AccessLogBucketName)
		outputs := doc.Outputs()
		assert.Equal(t, "${aws_cloudtrail.audit_trail.arn}", outputs["trail_arn"]["value"])
		assert.Equal(t, keyRef, outputs["key_arn"]["value"])
	})
}

func TestTrailPolicies(t *testing.T) {
	_, doc := synthTrail(t, testConfig())

	t.Run("key policy", func(t *testing.T) {
		key := doc.Resource(t, "aws_kms_key", "audit_key")
		bySid := statements(t, synthtest.JSON(t, key["policy"]))
		require.Len(t, bySid, 4)

		admin := bySid[sidKeyAdministration]
		assert.Equal(t, "Allow", admin["Effect"])
		assert.ElementsMatch(t, []any{"arn:aws:iam::111122223333:root", testDeployARN, testBreakGlass}, admin["Principal"].(map[string]any)["AWS"])
		for _, action := range admin["Action"].([]any) {
			assert.NotContains(t, []string{"kms:Decrypt", "kms:Encrypt", "kms:CreateGrant", "kms:GenerateDataKey"}, action, "administrators get no use action")
			assert.NotContains(t, action, "*", "administrator actions are listed one by one")
		}
		assert.Contains(t, admin["Action"], "kms:PutKeyPolicy")
		assert.NotContains(t, admin, "Condition")

		encrypt := bySid[sidCloudTrailEncrypt]
		assert.Equal(t, map[string]any{"Service": []any{"cloudtrail.amazonaws.com"}}, encrypt["Principal"])
		assert.Equal(t, []any{"kms:GenerateDataKey*"}, encrypt["Action"])
		assert.Equal(t, map[string]any{
			"StringLike":   map[string]any{"kms:EncryptionContext:aws:cloudtrail:arn": []any{"arn:aws:cloudtrail:*:111122223333:trail/*"}},
			"StringEquals": map[string]any{"aws:SourceArn": []any{testTrailARN}},
		}, encrypt["Condition"])

		describe := bySid[sidCloudTrailDescribe]
		assert.Equal(t, map[string]any{"Service": []any{"cloudtrail.amazonaws.com"}}, describe["Principal"])
		assert.Equal(t, []any{"kms:DescribeKey"}, describe["Action"])
		assert.Equal(t, map[string]any{"StringEquals": map[string]any{"aws:SourceArn": []any{testTrailARN}}}, describe["Condition"])

		decrypt := bySid[sidDecryptLogFiles]
		assert.Equal(t, map[string]any{"AWS": []any{"arn:aws:iam::111122223333:root"}}, decrypt["Principal"])
		assert.Equal(t, []any{"kms:Decrypt"}, decrypt["Action"])
		assert.Equal(t, map[string]any{
			"StringEquals": map[string]any{"kms:CallerAccount": []any{testAccount}},
			"Null":         map[string]any{"kms:EncryptionContext:aws:cloudtrail:arn": []any{"false"}},
		}, decrypt["Condition"])
	})

	t.Run("trail bucket policy", func(t *testing.T) {
		policy := doc.Resource(t, "aws_s3_bucket_policy", "audit_bucket_policy")
		assert.Equal(t, trailBucketRef, policy["bucket"])
		bySid := statements(t, synthtest.JSON(t, policy["policy"]))
		require.Len(t, bySid, 3)

		aclCheck := bySid[sidCloudTrailACLCheck]
		assert.Equal(t, "Allow", aclCheck["Effect"])
		assert.Equal(t, map[string]any{"Service": []any{"cloudtrail.amazonaws.com"}}, aclCheck["Principal"])
		assert.Equal(t, []any{"s3:GetBucketAcl"}, aclCheck["Action"])
		assert.Equal(t, []any{testBucketARN}, aclCheck["Resource"])
		assert.Equal(t, map[string]any{"StringEquals": map[string]any{"aws:SourceArn": []any{testTrailARN}}}, aclCheck["Condition"])

		write := bySid[sidCloudTrailWrite]
		assert.Equal(t, "Allow", write["Effect"])
		assert.Equal(t, map[string]any{"Service": []any{"cloudtrail.amazonaws.com"}}, write["Principal"])
		assert.Equal(t, []any{"s3:PutObject"}, write["Action"])
		assert.Equal(t, []any{testBucketARN + "/AWSLogs/111122223333/*"}, write["Resource"])
		assert.Equal(t, map[string]any{"StringEquals": map[string]any{
			"s3:x-amz-acl":  []any{"bucket-owner-full-control"},
			"aws:SourceArn": []any{testTrailARN},
		}}, write["Condition"])

		assertDeniesInsecureTransport(t, bySid[sidDenyInsecureTransport], testBucketARN)
	})

	t.Run("access log bucket policy", func(t *testing.T) {
		policy := doc.Resource(t, "aws_s3_bucket_policy", "audit_access_log_bucket_policy")
		assert.Equal(t, accessBucketRef, policy["bucket"])
		bySid := statements(t, synthtest.JSON(t, policy["policy"]))
		require.Len(t, bySid, 2)

		delivery := bySid[sidAccessLogDelivery]
		assert.Equal(t, "Allow", delivery["Effect"])
		assert.Equal(t, map[string]any{"Service": []any{"logging.s3.amazonaws.com"}}, delivery["Principal"])
		assert.Equal(t, []any{"s3:PutObject"}, delivery["Action"])
		assert.Equal(t, []any{testLogBktARN + "/" + testBucket + "/*"}, delivery["Resource"])
		assert.Equal(t, map[string]any{
			"ArnEquals":    map[string]any{"aws:SourceArn": []any{testBucketARN}},
			"StringEquals": map[string]any{"aws:SourceAccount": []any{testAccount}},
		}, delivery["Condition"])

		assertDeniesInsecureTransport(t, bySid[sidDenyInsecureTransport], testLogBktARN)
	})

	t.Run("least privilege", func(t *testing.T) {
		policies := map[string]any{
			"key":               doc.Resource(t, "aws_kms_key", "audit_key")["policy"],
			"trail bucket":      doc.Resource(t, "aws_s3_bucket_policy", "audit_bucket_policy")["policy"],
			"access log bucket": doc.Resource(t, "aws_s3_bucket_policy", "audit_access_log_bucket_policy")["policy"],
		}
		for name, raw := range policies {
			for sid, s := range statements(t, synthtest.JSON(t, raw)) {
				if s["Effect"] != "Allow" {
					continue
				}
				for _, action := range s["Action"].([]any) {
					// The CloudTrail documentation names kms:GenerateDataKey*
					// for the service, limited by the encryption context.
					if action == "kms:GenerateDataKey*" && sid == sidCloudTrailEncrypt {
						continue
					}
					assert.NotContainsf(t, action, "*", "%s policy, statement %s: wildcard action", name, sid)
				}
				// In a key policy, Resource "*" is the key itself.
				if name != "key" {
					assert.NotContainsf(t, s["Resource"], "*", "%s policy, statement %s: wildcard resource", name, sid)
				}
				assert.NotEqualf(t, map[string]any{"AWS": []any{"*"}}, s["Principal"], "%s policy, statement %s: allows anyone", name, sid)
			}
		}
	})
}

func assertDeniesInsecureTransport(t *testing.T, statement map[string]any, bucketARN string) {
	t.Helper()
	require.NotNil(t, statement, "no DenyInsecureTransport statement")
	assert.Equal(t, "Deny", statement["Effect"])
	assert.Equal(t, map[string]any{"AWS": []any{"*"}}, statement["Principal"])
	assert.Equal(t, []any{"s3:*"}, statement["Action"])
	assert.ElementsMatch(t, []any{bucketARN, bucketARN + "/*"}, statement["Resource"])
	assert.Equal(t, map[string]any{"Bool": map[string]any{"aws:SecureTransport": []any{"false"}}}, statement["Condition"])
}

func TestTrailGovCloudAndRetention(t *testing.T) {
	cfg := testConfig()
	cfg.Name = "gov"
	cfg.Region = "us-gov-west-1"
	cfg.Partition = "aws-us-gov"
	cfg.KMSKeyAdminRoleARNs = []string{"arn:aws-us-gov:iam::111122223333:role/deploy"}
	cfg.RetentionDays = 400
	_, doc := synthTrail(t, cfg)
	govTrailARN := "arn:aws-us-gov:cloudtrail:us-gov-west-1:111122223333:trail/gov-cloudtrail"

	key := doc.Resource(t, "aws_kms_key", "audit_key")
	keyStatements := statements(t, synthtest.JSON(t, key["policy"]))
	assert.Contains(t, keyStatements[sidKeyAdministration]["Principal"].(map[string]any)["AWS"], "arn:aws-us-gov:iam::111122223333:root")
	assert.Equal(t, map[string]any{"aws:SourceArn": []any{govTrailARN}}, keyStatements[sidCloudTrailEncrypt]["Condition"].(map[string]any)["StringEquals"])
	assert.Equal(t, map[string]any{"kms:EncryptionContext:aws:cloudtrail:arn": []any{"arn:aws-us-gov:cloudtrail:*:111122223333:trail/*"}}, keyStatements[sidCloudTrailEncrypt]["Condition"].(map[string]any)["StringLike"])

	policy := doc.Resource(t, "aws_s3_bucket_policy", "audit_bucket_policy")
	write := statements(t, synthtest.JSON(t, policy["policy"]))[sidCloudTrailWrite]
	assert.Equal(t, []any{"arn:aws-us-gov:s3:::gov-cloudtrail-111122223333/AWSLogs/111122223333/*"}, write["Resource"])

	for _, id := range []string{"audit_bucket_lifecycle", "audit_access_log_bucket_lifecycle"} {
		rules := lifecycleRules(t, doc.Resource(t, "aws_s3_bucket_lifecycle_configuration", id))
		assert.EqualValues(t, 400, only(t, rules[ruleExpireObjects]["expiration"])["days"], id)
	}
}

func TestTrailConfigDefaults(t *testing.T) {
	cfg := testConfig().withDefaults()
	assert.Equal(t, "aws", cfg.Partition)
	assert.Equal(t, 2557, cfg.RetentionDays)
	assert.NoError(t, cfg.Validate())

	custom := testConfig()
	custom.RetentionDays = 3653
	assert.Equal(t, 3653, custom.withDefaults().RetentionDays)
}

func TestTrailConfigValidate(t *testing.T) {
	cases := []struct {
		name   string
		modify func(*TrailConfig)
		want   string
	}{
		{"missing name", func(c *TrailConfig) { c.Name = "" }, "audit: TrailConfig.Name is missing"},
		{"upper-case name", func(c *TrailConfig) { c.Name = "Prod" }, `audit: TrailConfig.Name: "Prod" is invalid`},
		{"name starting with digit", func(c *TrailConfig) { c.Name = "1prod" }, `audit: TrailConfig.Name: "1prod" is invalid`},
		{"name ending with hyphen", func(c *TrailConfig) { c.Name = "prod-" }, `audit: TrailConfig.Name: "prod-" is invalid`},
		{"name with double hyphen", func(c *TrailConfig) { c.Name = "prod--a" }, `audit: TrailConfig.Name: "prod--a" is invalid`},
		{"name with dot", func(c *TrailConfig) { c.Name = "prod.a" }, `audit: TrailConfig.Name: "prod.a" is invalid`},
		{"name too long", func(c *TrailConfig) { c.Name = strings.Repeat("a", 28) }, "is too long; use at most 27 characters"},
		{"bad account", func(c *TrailConfig) { c.AccountID = "1234" }, `audit: TrailConfig.AccountID: "1234" is not a 12-digit AWS account ID`},
		{"missing region", func(c *TrailConfig) { c.Region = "" }, "audit: TrailConfig.Region is missing"},
		{"bad region", func(c *TrailConfig) { c.Region = "usw2" }, `audit: TrailConfig.Region: "usw2" is not an AWS region name`},
		{"China partition", func(c *TrailConfig) { c.Partition = "aws-cn" }, `audit: TrailConfig.Partition: "aws-cn" is not supported`},
		{"no admin roles", func(c *TrailConfig) { c.KMSKeyAdminRoleARNs = nil }, "audit: TrailConfig.KMSKeyAdminRoleARNs is empty"},
		{"admin user", func(c *TrailConfig) { c.KMSKeyAdminRoleARNs = []string{"arn:aws:iam::111122223333:user/alice"} }, `audit: TrailConfig.KMSKeyAdminRoleARNs[0]: "arn:aws:iam::111122223333:user/alice" is not an IAM role ARN`},
		{"admin of other partition", func(c *TrailConfig) {
			c.KMSKeyAdminRoleARNs = []string{testDeployARN, "arn:aws-us-gov:iam::111122223333:role/deploy"}
		}, `audit: TrailConfig.KMSKeyAdminRoleARNs[1]: "arn:aws-us-gov:iam::111122223333:role/deploy" is in partition "aws-us-gov"`},
		{"retention too short", func(c *TrailConfig) { c.RetentionDays = 90 }, "audit: TrailConfig.RetentionDays: 90 is too short; keep audit logs for at least 365 days"},
		{"negative retention", func(c *TrailConfig) { c.RetentionDays = -1 }, "audit: TrailConfig.RetentionDays: -1 is too short"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			cfg := testConfig()
			c.modify(&cfg)
			assert.ErrorContains(t, cfg.withDefaults().Validate(), c.want)
		})
	}

	t.Run("longest name", func(t *testing.T) {
		cfg := testConfig()
		cfg.Name = strings.Repeat("a", maxNameLength)
		assert.NoError(t, cfg.withDefaults().Validate())
		assert.Len(t, cfg.withDefaults().names().accessLogBucket, 63)
	})

	t.Run("every problem reported", func(t *testing.T) {
		err := TrailConfig{}.withDefaults().Validate()
		assert.ErrorContains(t, err, "TrailConfig.Name")
		assert.ErrorContains(t, err, "TrailConfig.AccountID")
		assert.ErrorContains(t, err, "TrailConfig.Region")
		assert.ErrorContains(t, err, "TrailConfig.KMSKeyAdminRoleARNs")
		assert.NotContains(t, err.Error(), "RetentionDays", "the default retention is valid")
	})
}

func TestNewTrailPanicsOnInvalidConfig(t *testing.T) {
	stack := synthtest.Stack(t)
	cfg := testConfig()
	cfg.KMSKeyAdminRoleARNs = nil
	assert.PanicsWithError(t, "audit: TrailConfig.KMSKeyAdminRoleARNs is empty; list at least one IAM role that may administer the trail key, such as the deploy role", func() {
		NewTrail(stack, "audit", cfg)
	})
}
