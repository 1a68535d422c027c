package statebackend

import (
	"strings"
	"testing"

	"github.com/aws/jsii-runtime-go"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/provider"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/honeyhive/platform/constructs/kms"
	"github.com/honeyhive/platform/internal/synthtest"
)

const (
	testBucket    = "honeyhive-tfstate-usw2"
	testLockTable = "honeyhive-tflock"
	testAccount   = "111122223333"
	testDeployARN = "arn:aws:iam::111122223333:role/deploy"
	testStateARN  = "arn:aws:iam::111122223333:role/ci/terraform-state"
)

func testConfig() Config {
	return Config{
		BucketName:     testBucket,
		LockTableName:  testLockTable,
		AccountID:      testAccount,
		Region:         "us-west-2",
		AccessRoleARNs: []string{testStateARN},
		AdminRoleARNs:  []string{testDeployARN},
	}
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

func TestStateBackendResources(t *testing.T) {
	stack := synthtest.Stack(t)
	backend := New(stack, "state", testConfig())
	doc := synthtest.Synth(t, stack)

	const bucketRef = "${aws_s3_bucket.state_bucket.id}"
	const keyARN = "${aws_kms_key.state_key_key.arn}"
	preventDestroy := map[string]any{"prevent_destroy": true}

	t.Run("key", func(t *testing.T) {
		key := doc.Resource(t, "aws_kms_key", "state_key_key")
		assert.Equal(t, true, key["enable_key_rotation"])
		assert.EqualValues(t, 30, key["deletion_window_in_days"])
		assert.Equal(t, preventDestroy, key["lifecycle"])
		assert.Contains(t, key["policy"], `"s3.us-west-2.amazonaws.com"`)
		assert.Contains(t, key["policy"], `"dynamodb.us-west-2.amazonaws.com"`)
		assert.Contains(t, key["policy"], testDeployARN)

		alias := doc.Resource(t, "aws_kms_alias", "state_key_alias")
		assert.Equal(t, "alias/"+testBucket, alias["name"])

		require.NotNil(t, backend.Key)
		assert.Equal(t, kms.PurposeState, backend.Key.Purpose)
	})

	t.Run("bucket", func(t *testing.T) {
		bucket := doc.Resource(t, "aws_s3_bucket", "state_bucket")
		assert.Equal(t, testBucket, bucket["bucket"])
		assert.Equal(t, false, bucket["force_destroy"])
		assert.Equal(t, preventDestroy, bucket["lifecycle"])
		assert.Equal(t, map[string]any{"Name": testBucket}, bucket["tags"])
	})

	t.Run("versioning", func(t *testing.T) {
		versioning := doc.Resource(t, "aws_s3_bucket_versioning", "state_bucket_versioning")
		assert.Equal(t, bucketRef, versioning["bucket"])
		assert.Equal(t, map[string]any{"status": "Enabled"}, versioning["versioning_configuration"])
	})

	t.Run("encryption", func(t *testing.T) {
		encryption := doc.Resource(t, "aws_s3_bucket_server_side_encryption_configuration", "state_bucket_encryption")
		assert.Equal(t, bucketRef, encryption["bucket"])
		rule := only(t, encryption["rule"])
		assert.Equal(t, true, rule["bucket_key_enabled"])
		assert.Equal(t, map[string]any{"sse_algorithm": "aws:kms", "kms_master_key_id": keyARN}, rule["apply_server_side_encryption_by_default"])
	})

	t.Run("public access block", func(t *testing.T) {
		block := doc.Resource(t, "aws_s3_bucket_public_access_block", "state_bucket_public_access_block")
		assert.Equal(t, bucketRef, block["bucket"])
		for _, setting := range []string{"block_public_acls", "block_public_policy", "ignore_public_acls", "restrict_public_buckets"} {
			assert.Equalf(t, true, block[setting], "%s must be true", setting)
		}
	})

	t.Run("ownership controls", func(t *testing.T) {
		ownership := doc.Resource(t, "aws_s3_bucket_ownership_controls", "state_bucket_ownership_controls")
		assert.Equal(t, bucketRef, ownership["bucket"])
		assert.Equal(t, map[string]any{"object_ownership": "BucketOwnerEnforced"}, ownership["rule"])
	})

	t.Run("bucket policy", func(t *testing.T) {
		resource := doc.Resource(t, "aws_s3_bucket_policy", "state_bucket_policy")
		assert.Equal(t, bucketRef, resource["bucket"])
		assert.Equal(t, []any{"aws_s3_bucket_public_access_block.state_bucket_public_access_block"}, resource["depends_on"])

		policy := synthtest.JSON(t, resource["policy"])
		statements, ok := policy["Statement"].([]any)
		require.True(t, ok, "policy has no Statement list")
		require.Len(t, statements, 3)

		tls := statements[0].(map[string]any)
		assert.Equal(t, sidDenyInsecureTransport, tls["Sid"])
		assert.Equal(t, "Deny", tls["Effect"])
		assert.Equal(t, "*", tls["Principal"])
		assert.Equal(t, "s3:*", tls["Action"])
		assert.Equal(t, []any{"arn:aws:s3:::honeyhive-tfstate-usw2", "arn:aws:s3:::honeyhive-tfstate-usw2/*"}, tls["Resource"])
		assert.Equal(t, map[string]any{"Bool": map[string]any{"aws:SecureTransport": "false"}}, tls["Condition"])

		sse := statements[1].(map[string]any)
		assert.Equal(t, sidDenyOtherEncryption, sse["Sid"])
		assert.Equal(t, "Deny", sse["Effect"])
		assert.Equal(t, "s3:PutObject", sse["Action"])
		assert.Equal(t, []any{"arn:aws:s3:::honeyhive-tfstate-usw2/*"}, sse["Resource"])
		assert.Equal(t, map[string]any{
			"StringNotEquals": map[string]any{"s3:x-amz-server-side-encryption": "aws:kms"},
			"Null":            map[string]any{"s3:x-amz-server-side-encryption": "false"},
		}, sse["Condition"])

		principals := statements[2].(map[string]any)
		assert.Equal(t, sidDenyOtherPrincipals, principals["Sid"])
		assert.Equal(t, "Deny", principals["Effect"])
		assert.Equal(t, "*", principals["Principal"])
		assert.Equal(t, "s3:*", principals["Action"])
		assert.Equal(t, []any{"arn:aws:s3:::honeyhive-tfstate-usw2", "arn:aws:s3:::honeyhive-tfstate-usw2/*"}, principals["Resource"])
		assert.Equal(t, map[string]any{
			"StringNotEquals": map[string]any{"aws:PrincipalArn": []any{testStateARN, testDeployARN}},
		}, principals["Condition"], "only the admin and access roles reach the bucket")

		for _, s := range statements {
			assert.NotEqual(t, "Allow", s.(map[string]any)["Effect"], "the bucket policy must only deny")
		}
	})

	t.Run("lifecycle", func(t *testing.T) {
		lifecycle := doc.Resource(t, "aws_s3_bucket_lifecycle_configuration", "state_bucket_lifecycle")
		assert.Equal(t, bucketRef, lifecycle["bucket"])
		assert.Equal(t, []any{"aws_s3_bucket_versioning.state_bucket_versioning"}, lifecycle["depends_on"])

		rules, ok := lifecycle["rule"].([]any)
		require.True(t, ok, "lifecycle has no rule list")
		byID := map[string]map[string]any{}
		for _, r := range rules {
			rule := r.(map[string]any)
			byID[rule["id"].(string)] = rule
			assert.Equal(t, "Enabled", rule["status"])
			assert.Equal(t, []any{map[string]any{}}, rule["filter"], "rule %v must cover the whole bucket", rule["id"])
		}
		require.Len(t, byID, 2)

		noncurrent := only(t, byID["expire-noncurrent-versions"]["noncurrent_version_expiration"])
		assert.EqualValues(t, 90, noncurrent["noncurrent_days"])
		multipart := only(t, byID["abort-incomplete-multipart-uploads"]["abort_incomplete_multipart_upload"])
		assert.EqualValues(t, 7, multipart["days_after_initiation"])
	})

	t.Run("lock table", func(t *testing.T) {
		table := doc.Resource(t, "aws_dynamodb_table", "state_lock_table")
		assert.Equal(t, testLockTable, table["name"])
		assert.Equal(t, "PAY_PER_REQUEST", table["billing_mode"])
		assert.Equal(t, "LockID", table["hash_key"])
		assert.Equal(t, []any{map[string]any{"name": "LockID", "type": "S"}}, table["attribute"])
		assert.Equal(t, map[string]any{"enabled": true, "kms_key_arn": keyARN}, table["server_side_encryption"])
		assert.Equal(t, map[string]any{"enabled": true}, table["point_in_time_recovery"])
		assert.Equal(t, true, table["deletion_protection_enabled"])
		assert.Equal(t, preventDestroy, table["lifecycle"])
	})

	t.Run("outputs", func(t *testing.T) {
		assert.Equal(t, testBucket, backend.BucketName)
		assert.Equal(t, "arn:aws:s3:::honeyhive-tfstate-usw2", *backend.BucketARN)
		assert.Equal(t, testLockTable, backend.LockTableName)
		assert.Equal(t, "arn:aws:dynamodb:us-west-2:111122223333:table/honeyhive-tflock", *backend.LockTableARN)
	})

	t.Run("resource counts", func(t *testing.T) {
		for _, typ := range []string{
			"aws_kms_key", "aws_kms_alias", "aws_s3_bucket", "aws_s3_bucket_versioning",
			"aws_s3_bucket_server_side_encryption_configuration", "aws_s3_bucket_public_access_block",
			"aws_s3_bucket_ownership_controls", "aws_s3_bucket_policy",
			"aws_s3_bucket_lifecycle_configuration", "aws_dynamodb_table",
		} {
			assert.Lenf(t, doc.Resources(typ), 1, "resources of type %s", typ)
		}
	})
}

func TestStateBackendCustomValues(t *testing.T) {
	stack := synthtest.Stack(t)
	cfg := testConfig()
	cfg.KeyAlias = "terraform-state"
	cfg.NoncurrentVersionDays = 30
	cfg.Region = "us-gov-west-1"
	cfg.Partition = "aws-us-gov"
	cfg.AdminRoleARNs = []string{"arn:aws-us-gov:iam::111122223333:role/deploy"}
	cfg.AccessRoleARNs = []string{"arn:aws-us-gov:iam::111122223333:role/terraform-state"}
	backend := New(stack, "gov", cfg)
	doc := synthtest.Synth(t, stack)

	assert.Equal(t, "alias/terraform-state", doc.Resource(t, "aws_kms_alias", "gov_key_alias")["name"])
	assert.Equal(t, "alias/terraform-state", backend.Key.AliasName)

	lifecycle := doc.Resource(t, "aws_s3_bucket_lifecycle_configuration", "gov_bucket_lifecycle")
	var noncurrentDays any
	for _, r := range lifecycle["rule"].([]any) {
		if expiration, ok := r.(map[string]any)["noncurrent_version_expiration"]; ok {
			noncurrentDays = only(t, expiration)["noncurrent_days"]
		}
	}
	assert.EqualValues(t, 30, noncurrentDays)

	assert.Equal(t, "arn:aws-us-gov:s3:::honeyhive-tfstate-usw2", *backend.BucketARN)
	assert.Equal(t, "arn:aws-us-gov:dynamodb:us-gov-west-1:111122223333:table/honeyhive-tflock", *backend.LockTableARN)
	assert.Contains(t, doc.Resource(t, "aws_s3_bucket_policy", "gov_bucket_policy")["policy"], `"arn:aws-us-gov:s3:::honeyhive-tfstate-usw2/*"`)
	assert.Contains(t, doc.Resource(t, "aws_kms_key", "gov_key_key")["policy"], `"s3.us-gov-west-1.amazonaws.com"`)
	assert.Contains(t, doc.Resource(t, "aws_s3_bucket_policy", "gov_bucket_policy")["policy"], `"arn:aws-us-gov:iam::111122223333:role/terraform-state"`)
}

func TestStateBackendUsesProvider(t *testing.T) {
	stack := synthtest.Stack(t)
	east := provider.NewAwsProvider(stack, jsii.String("aws_use1"), &provider.AwsProviderConfig{
		Region: jsii.String("us-east-1"),
		Alias:  jsii.String("use1"),
	})
	cfg := testConfig()
	cfg.BucketName = "honeyhive-tfstate-use1"
	cfg.Region = "us-east-1"
	cfg.Provider = east
	New(stack, "east", cfg)
	New(stack, "west", testConfig())
	doc := synthtest.Synth(t, stack)

	resources, ok := doc["resource"].(map[string]any)
	require.True(t, ok, "synth output has no resources")
	eastCount, westCount := 0, 0
	for typ := range resources {
		for name, resource := range doc.Resources(typ) {
			switch {
			case strings.HasPrefix(name, "east_"):
				eastCount++
				assert.Equalf(t, "aws.use1", resource["provider"], "%s.%s", typ, name)
			case strings.HasPrefix(name, "west_"):
				westCount++
				assert.Nilf(t, resource["provider"], "%s.%s must use the default provider", typ, name)
			}
		}
	}
	assert.Equal(t, 10, eastCount, "resources of the east backend")
	assert.Equal(t, 10, westCount, "resources of the west backend")
}

func TestConfigValidate(t *testing.T) {
	cases := []struct {
		name   string
		modify func(*Config)
		want   string
	}{
		{"missing bucket", func(c *Config) { c.BucketName = "" }, "Config.BucketName is missing"},
		{"short bucket", func(c *Config) { c.BucketName = "ab" }, `Config.BucketName: "ab" is invalid`},
		{"long bucket", func(c *Config) { c.BucketName = strings.Repeat("b", 64) }, "is invalid"},
		{"uppercase bucket", func(c *Config) { c.BucketName = "HoneyHive-state" }, `Config.BucketName: "HoneyHive-state" is invalid`},
		{"bucket with dot", func(c *Config) { c.BucketName = "honeyhive.state" }, `Config.BucketName: "honeyhive.state" contains dots`},
		{"bucket ending in hyphen", func(c *Config) { c.BucketName = "honeyhive-" }, `Config.BucketName: "honeyhive-" is invalid`},
		{"reserved bucket prefix", func(c *Config) { c.BucketName = "xn--state" }, `starts with the reserved prefix "xn--"`},
		{"reserved bucket suffix", func(c *Config) { c.BucketName = "state-s3alias" }, `ends with the reserved suffix "-s3alias"`},
		{"missing lock table", func(c *Config) { c.LockTableName = "" }, "Config.LockTableName is missing"},
		{"lock table with slash", func(c *Config) { c.LockTableName = "tf/lock" }, `Config.LockTableName: "tf/lock" is invalid`},
		{"short lock table", func(c *Config) { c.LockTableName = "tl" }, `Config.LockTableName: "tl" is invalid`},
		{"negative noncurrent days", func(c *Config) { c.NoncurrentVersionDays = -5 }, "Config.NoncurrentVersionDays: -5 is invalid"},
		{"bad account", func(c *Config) { c.AccountID = "123" }, `statebackend: state key: kms: KeyConfig.AccountID: "123" is not a 12-digit AWS account ID`},
		{"missing region", func(c *Config) { c.Region = "" }, "statebackend: state key: kms: KeyConfig.Region is missing"},
		{"unsupported partition", func(c *Config) { c.Partition = "aws-cn" }, `KeyConfig.Partition: "aws-cn" is not supported`},
		{"no admin roles", func(c *Config) { c.AdminRoleARNs = nil }, "statebackend: state key: kms: KeyConfig.AdminRoleARNs is empty"},
		{"admin role in wrong partition", func(c *Config) { c.AdminRoleARNs = []string{"arn:aws-us-gov:iam::111122223333:role/deploy"} }, `is in partition "aws-us-gov", not "aws"`},
		{"reserved key alias", func(c *Config) { c.KeyAlias = "aws/state" }, `KeyConfig.Alias: "aws/state" starts with "aws/"`},
		{"no access roles", func(c *Config) { c.AccessRoleARNs = nil }, "statebackend: Config.AccessRoleARNs is empty"},
		{"access role is a user", func(c *Config) { c.AccessRoleARNs = []string{"arn:aws:iam::111122223333:user/ci"} }, `Config.AccessRoleARNs[0]: "arn:aws:iam::111122223333:user/ci" is not an IAM role ARN`},
		{"access role with wildcard", func(c *Config) {
			c.AccessRoleARNs = []string{testStateARN, "arn:aws:iam::111122223333:role/*"}
		}, `Config.AccessRoleARNs[1]: "arn:aws:iam::111122223333:role/*" is not an IAM role ARN`},
		{"access role session", func(c *Config) {
			c.AccessRoleARNs = []string{"arn:aws:sts::111122223333:assumed-role/deploy/terraform-state"}
		}, "is not an IAM role ARN"},
		{"access role in other partition", func(c *Config) {
			c.AccessRoleARNs = []string{"arn:aws-us-gov:iam::111122223333:role/terraform-state"}
		}, `Config.AccessRoleARNs[0]: "arn:aws-us-gov:iam::111122223333:role/terraform-state" is in partition "aws-us-gov", not "aws"`},
		{"access role in other account", func(c *Config) {
			c.AccessRoleARNs = []string{"arn:aws:iam::444455556666:role/terraform-state"}
		}, `Config.AccessRoleARNs[0]: "arn:aws:iam::444455556666:role/terraform-state" is in account 444455556666, not 111122223333`},
	}

	require.NoError(t, testConfig().withDefaults().Validate())
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			cfg := testConfig()
			c.modify(&cfg)
			assert.ErrorContains(t, cfg.withDefaults().Validate(), c.want)
		})
	}
}

func TestConfigValidateReportsEveryProblem(t *testing.T) {
	err := Config{}.withDefaults().Validate()
	for _, want := range []string{"Config.BucketName", "Config.LockTableName", "KeyConfig.AccountID", "KeyConfig.Region", "KeyConfig.AdminRoleARNs", "Config.AccessRoleARNs"} {
		assert.ErrorContains(t, err, want)
	}
	for _, line := range strings.Split(err.Error(), "\n") {
		assert.Truef(t, strings.HasPrefix(line, "statebackend: "), "line %q lacks the package prefix", line)
	}
}

func TestStateRoleARNsMergesRoleLists(t *testing.T) {
	cfg := testConfig()
	cfg.AccessRoleARNs = []string{testStateARN, testDeployARN}
	cfg.AdminRoleARNs = []string{testDeployARN, "arn:aws:iam::111122223333:role/break-glass"}

	assert.Equal(t, []string{
		"arn:aws:iam::111122223333:role/break-glass",
		testStateARN,
		testDeployARN,
	}, cfg.stateRoleARNs(), "both lists, sorted, each role once")
	assert.Equal(t, []string{testStateARN, testDeployARN}, cfg.AccessRoleARNs, "the config's own slice stays unchanged")
}

func TestNewPanicsWithoutAccessRoles(t *testing.T) {
	stack := synthtest.Stack(t)
	cfg := testConfig()
	cfg.AccessRoleARNs = nil
	assert.PanicsWithError(t, "statebackend: Config.AccessRoleARNs is empty; list the IAM roles that read and write state, such as the role the Terraform S3 backend assumes", func() {
		New(stack, "state", cfg)
	})
}

func TestNewPanicsOnInvalidConfig(t *testing.T) {
	stack := synthtest.Stack(t)
	cfg := testConfig()
	cfg.BucketName = "Invalid_Bucket"
	assert.PanicsWithError(t, `statebackend: Config.BucketName: "Invalid_Bucket" is invalid; use 3 to 63 lowercase letters, digits and hyphens, starting and ending with a letter or digit`, func() {
		New(stack, "state", cfg)
	})
}
