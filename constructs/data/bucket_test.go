package data

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/aws/jsii-runtime-go"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/kmskey"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/s3bucket"
	"github.com/hashicorp/terraform-cdk-go/cdktf"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/honeyhive/platform/internal/synthtest"
)

const (
	testBucket   = "honeyhive-prod-usw2-events-111122223333"
	testDRBucket = "honeyhive-prod-use2-events-111122223333"
)

func testBucketConfig() BucketConfig {
	return BucketConfig{
		Name:      testBucket,
		KMSKeyARN: jsii.String(testDataKey),
		AccountID: testAccount,
		Region:    testRegion,
	}
}

func testReplication() *Replication {
	return &Replication{
		DestinationBucketARN: jsii.String("arn:aws:s3:::" + testDRBucket),
		DestinationKMSKeyARN: jsii.String(testDRDataKey),
		DestinationRegion:    testDRRegion,
	}
}

// rulesByID returns the lifecycle rules of a lifecycle configuration by ID.
func rulesByID(t *testing.T, lifecycle map[string]any) map[string]map[string]any {
	t.Helper()
	rules, ok := lifecycle["rule"].([]any)
	require.True(t, ok, "lifecycle has no rule list")
	result := map[string]map[string]any{}
	for _, r := range rules {
		rule := r.(map[string]any)
		result[rule["id"].(string)] = rule
	}
	return result
}

func TestBucketResources(t *testing.T) {
	stack := synthtest.Stack(t)
	bucket := NewBucket(stack, "events", testBucketConfig())
	cdktf.NewTerraformOutput(stack, jsii.String("bucket_id"), &cdktf.TerraformOutputConfig{Value: bucket.ID})
	doc := synthtest.Synth(t, stack)

	const bucketRef = "${aws_s3_bucket.events_bucket.id}"
	const bucketARN = "arn:aws:s3:::" + testBucket

	t.Run("bucket", func(t *testing.T) {
		b := doc.Resource(t, "aws_s3_bucket", "events_bucket")
		assert.Equal(t, testBucket, b["bucket"])
		assert.Equal(t, false, b["force_destroy"])
		assert.Equal(t, preventDestroy, b["lifecycle"])
		assert.Equal(t, map[string]any{"Name": testBucket, BackupTagKey: BackupTagValue}, b["tags"], "backup plans select data buckets by tag")
	})

	t.Run("versioning", func(t *testing.T) {
		versioning := doc.Resource(t, "aws_s3_bucket_versioning", "events_versioning")
		assert.Equal(t, bucketRef, versioning["bucket"])
		assert.Equal(t, map[string]any{"status": "Enabled"}, versioning["versioning_configuration"])
	})

	t.Run("encryption", func(t *testing.T) {
		encryption := doc.Resource(t, "aws_s3_bucket_server_side_encryption_configuration", "events_encryption")
		assert.Equal(t, bucketRef, encryption["bucket"])
		rule := only(t, encryption["rule"])
		assert.Equal(t, true, rule["bucket_key_enabled"])
		assert.Equal(t, map[string]any{"sse_algorithm": "aws:kms", "kms_master_key_id": testDataKey}, rule["apply_server_side_encryption_by_default"])
	})

	t.Run("public access block", func(t *testing.T) {
		block := doc.Resource(t, "aws_s3_bucket_public_access_block", "events_public_access_block")
		assert.Equal(t, bucketRef, block["bucket"])
		for _, setting := range []string{"block_public_acls", "block_public_policy", "ignore_public_acls", "restrict_public_buckets"} {
			assert.Equalf(t, true, block[setting], "%s must be true", setting)
		}
	})

	t.Run("ownership controls", func(t *testing.T) {
		ownership := doc.Resource(t, "aws_s3_bucket_ownership_controls", "events_ownership_controls")
		assert.Equal(t, bucketRef, ownership["bucket"])
		assert.Equal(t, map[string]any{"object_ownership": "BucketOwnerEnforced"}, ownership["rule"])
	})

	t.Run("bucket policy", func(t *testing.T) {
		resource := doc.Resource(t, "aws_s3_bucket_policy", "events_policy")
		assert.Equal(t, bucketRef, resource["bucket"])
		assert.Equal(t, []any{"aws_s3_bucket_public_access_block.events_public_access_block"}, resource["depends_on"])

		statements := statementsBySid(t, resource["policy"])
		require.Len(t, statements, 2)
		everyone := map[string]any{"AWS": []any{"*"}}

		tls := statements[sidDenyInsecureTransport]
		require.NotNil(t, tls)
		assert.Equal(t, "Deny", tls["Effect"])
		assert.Equal(t, everyone, tls["Principal"])
		assert.Equal(t, []any{"s3:*"}, tls["Action"])
		assert.Equal(t, []any{bucketARN, bucketARN + "/*"}, tls["Resource"])
		assert.Equal(t, map[string]any{"Bool": map[string]any{"aws:SecureTransport": []any{"false"}}}, tls["Condition"])

		sse := statements[sidDenyOtherEncryption]
		require.NotNil(t, sse)
		assert.Equal(t, "Deny", sse["Effect"])
		assert.Equal(t, everyone, sse["Principal"])
		assert.Equal(t, []any{"s3:PutObject"}, sse["Action"])
		assert.Equal(t, []any{bucketARN + "/*"}, sse["Resource"])
		assert.Equal(t, map[string]any{
			"StringNotEquals": map[string]any{"s3:x-amz-server-side-encryption": []any{"aws:kms"}},
			"Null":            map[string]any{"s3:x-amz-server-side-encryption": []any{"false"}},
		}, sse["Condition"])
	})

	t.Run("lifecycle", func(t *testing.T) {
		lifecycle := doc.Resource(t, "aws_s3_bucket_lifecycle_configuration", "events_lifecycle")
		assert.Equal(t, bucketRef, lifecycle["bucket"])
		assert.Equal(t, []any{"aws_s3_bucket_versioning.events_versioning"}, lifecycle["depends_on"])
		assert.Equal(t, "all_storage_classes_128K", lifecycle["transition_default_minimum_object_size"])

		rules := rulesByID(t, lifecycle)
		require.Len(t, rules, 3)
		for id, rule := range rules {
			assert.Equalf(t, "Enabled", rule["status"], "rule %s", id)
			assert.Equalf(t, []any{map[string]any{}}, rule["filter"], "rule %s must cover the whole bucket", id)
		}

		multipart := only(t, rules[ruleAbortMultipartUploads]["abort_incomplete_multipart_upload"])
		assert.EqualValues(t, 7, multipart["days_after_initiation"])

		noncurrent := rules[ruleExpireNoncurrent]
		assert.EqualValues(t, 90, only(t, noncurrent["noncurrent_version_expiration"])["noncurrent_days"])
		assert.Equal(t, true, only(t, noncurrent["expiration"])["expired_object_delete_marker"])

		transition := only(t, rules[ruleIntelligentTiering]["transition"])
		assert.EqualValues(t, 30, transition["days"])
		assert.Equal(t, "INTELLIGENT_TIERING", transition["storage_class"])
	})

	t.Run("no replication", func(t *testing.T) {
		assert.Empty(t, doc.Resources("aws_s3_bucket_replication_configuration"))
		assert.Empty(t, doc.Resources("aws_iam_role"))
		assert.Empty(t, doc.Resources("aws_iam_role_policy"))
		assert.Nil(t, bucket.ReplicationRoleARN)
	})

	t.Run("outputs", func(t *testing.T) {
		assert.Equal(t, testBucket, bucket.Name)
		assert.Equal(t, bucketARN, *bucket.ARN)
		assert.Equal(t, bucketRef, doc.Outputs()["bucket_id"]["value"], "ID refers to the bucket resource")
	})
}

func TestBucketCustomSettings(t *testing.T) {
	stack := synthtest.Stack(t)
	cfg := testBucketConfig()
	cfg.NoncurrentVersionDays = 400
	cfg.IntelligentTieringAfterDays = 7
	cfg.Partition = "aws-us-gov"
	cfg.Region = "us-gov-west-1"
	cfg.KMSKeyARN = jsii.String("arn:aws-us-gov:kms:us-gov-west-1:111122223333:key/0b1c2d3e-0000-4000-8000-000000000009")
	bucket := NewBucket(stack, "exports", cfg)
	doc := synthtest.Synth(t, stack)

	rules := rulesByID(t, doc.Resource(t, "aws_s3_bucket_lifecycle_configuration", "exports_lifecycle"))
	assert.EqualValues(t, 400, only(t, rules[ruleExpireNoncurrent]["noncurrent_version_expiration"])["noncurrent_days"])
	assert.EqualValues(t, 7, only(t, rules[ruleIntelligentTiering]["transition"])["days"])

	const govARN = "arn:aws-us-gov:s3:::" + testBucket
	assert.Equal(t, govARN, *bucket.ARN)
	statements := statementsBySid(t, doc.Resource(t, "aws_s3_bucket_policy", "exports_policy")["policy"])
	assert.Equal(t, []any{govARN, govARN + "/*"}, statements[sidDenyInsecureTransport]["Resource"])
}

func TestBucketReplication(t *testing.T) {
	stack := synthtest.Stack(t)

	// The destination comes from another stack in practice; resources of
	// this stack stand in for it, so the values are tokens as they would be.
	drBucket := s3bucket.NewS3Bucket(stack, jsii.String("dr_bucket"), &s3bucket.S3BucketConfig{Bucket: jsii.String(testDRBucket)})
	drKey := kmskey.NewKmsKey(stack, jsii.String("dr_key"), &kmskey.KmsKeyConfig{})
	cfg := testBucketConfig()
	cfg.Replication = &Replication{
		DestinationBucketARN: drBucket.Arn(),
		DestinationKMSKeyARN: drKey.Arn(),
		DestinationRegion:    testDRRegion,
	}
	bucket := NewBucket(stack, "events", cfg)
	require.NotNil(t, bucket.ReplicationRoleARN)
	cdktf.NewTerraformOutput(stack, jsii.String("role_arn"), &cdktf.TerraformOutputConfig{Value: bucket.ReplicationRoleARN})

	timed := testBucketConfig()
	timed.Name = "honeyhive-prod-usw2-exports-111122223333"
	timed.Replication = testReplication()
	timed.Replication.TimeControl = true
	NewBucket(stack, "exports", timed)

	doc := synthtest.Synth(t, stack)
	const bucketARN = "arn:aws:s3:::" + testBucket
	const drBucketARN = "${aws_s3_bucket.dr_bucket.arn}"
	const drKeyARN = "${aws_kms_key.dr_key.arn}"

	t.Run("role trust", func(t *testing.T) {
		role := doc.Resource(t, "aws_iam_role", "events_replication_role")
		assert.Equal(t, testBucket+"-replication", role["name"])
		trust := statementsBySid(t, role["assume_role_policy"])
		require.Len(t, trust, 1)
		s := trust["S3Replication"]
		require.NotNil(t, s)
		assert.Equal(t, "Allow", s["Effect"])
		assert.Equal(t, map[string]any{"Service": []any{"s3.amazonaws.com"}}, s["Principal"])
		assert.Equal(t, []any{"sts:AssumeRole"}, s["Action"])
		assert.Equal(t, map[string]any{"StringEquals": map[string]any{"aws:SourceAccount": []any{testAccount}}}, s["Condition"])
		assert.Equal(t, "${aws_iam_role.events_replication_role.arn}", doc.Outputs()["role_arn"]["value"])
	})

	t.Run("role policy", func(t *testing.T) {
		policy := doc.Resource(t, "aws_iam_role_policy", "events_replication_role_policy")
		assert.Equal(t, "${aws_iam_role.events_replication_role.name}", policy["role"])
		statements := statementsBySid(t, policy["policy"])
		require.Len(t, statements, 5)
		assertLeastPrivilege(t, statements)

		assert.Equal(t, []any{"s3:GetReplicationConfiguration", "s3:ListBucket"}, statements[sidReadSourceBucket]["Action"])
		assert.Equal(t, []any{bucketARN}, statements[sidReadSourceBucket]["Resource"])

		assert.Equal(t, []any{"s3:GetObjectVersionForReplication", "s3:GetObjectVersionAcl", "s3:GetObjectVersionTagging"}, statements[sidReadSourceVersions]["Action"])
		assert.Equal(t, []any{bucketARN + "/*"}, statements[sidReadSourceVersions]["Resource"])

		assert.Equal(t, []any{"s3:ReplicateObject", "s3:ReplicateDelete", "s3:ReplicateTags"}, statements[sidWriteReplicas]["Action"])
		assert.Equal(t, []any{drBucketARN + "/*"}, statements[sidWriteReplicas]["Resource"])

		decrypt := statements[sidDecryptSource]
		assert.Equal(t, []any{"kms:Decrypt"}, decrypt["Action"])
		assert.Equal(t, []any{testDataKey}, decrypt["Resource"])
		assert.Equal(t, map[string]any{"StringEquals": map[string]any{"kms:ViaService": []any{"s3.us-west-2.amazonaws.com"}}}, decrypt["Condition"],
			"the source key is used through S3 of the source region")

		encrypt := statements[sidEncryptReplicas]
		assert.Equal(t, []any{"kms:Encrypt"}, encrypt["Action"])
		assert.Equal(t, []any{drKeyARN}, encrypt["Resource"])
		assert.Equal(t, map[string]any{"StringEquals": map[string]any{"kms:ViaService": []any{"s3.us-east-2.amazonaws.com"}}}, encrypt["Condition"],
			"the destination key is used through S3 of the destination region")
	})

	t.Run("replication configuration", func(t *testing.T) {
		replication := doc.Resource(t, "aws_s3_bucket_replication_configuration", "events_replication")
		assert.Equal(t, "${aws_s3_bucket.events_bucket.id}", replication["bucket"])
		assert.Equal(t, "${aws_iam_role.events_replication_role.arn}", replication["role"])
		assert.ElementsMatch(t, []any{
			"aws_s3_bucket_versioning.events_versioning",
			"aws_iam_role_policy.events_replication_role_policy",
		}, replication["depends_on"])

		rule := only(t, replication["rule"])
		assert.Equal(t, replicationRuleID, rule["id"])
		assert.Equal(t, "Enabled", rule["status"])
		assert.Equal(t, map[string]any{}, rule["filter"], "the rule covers every object")
		assert.Equal(t, map[string]any{"status": "Enabled"}, rule["delete_marker_replication"])
		assert.Equal(t, map[string]any{"sse_kms_encrypted_objects": map[string]any{"status": "Enabled"}}, rule["source_selection_criteria"])

		destination, ok := rule["destination"].(map[string]any)
		require.True(t, ok, "rule has no destination block")
		assert.Equal(t, drBucketARN, destination["bucket"])
		assert.Equal(t, "STANDARD_IA", destination["storage_class"])
		assert.Equal(t, map[string]any{"replica_kms_key_id": drKeyARN}, destination["encryption_configuration"])
		assert.NotContains(t, destination, "replication_time", "Replication Time Control is off by default")
		assert.NotContains(t, destination, "metrics")
	})

	t.Run("time control", func(t *testing.T) {
		rule := only(t, doc.Resource(t, "aws_s3_bucket_replication_configuration", "exports_replication")["rule"])
		destination := rule["destination"].(map[string]any)
		assert.Equal(t, map[string]any{"status": "Enabled", "time": map[string]any{"minutes": float64(15)}}, destination["replication_time"])
		assert.Equal(t, map[string]any{"status": "Enabled", "event_threshold": map[string]any{"minutes": float64(15)}}, destination["metrics"])
		assert.Equal(t, "arn:aws:s3:::"+testDRBucket, destination["bucket"])
	})

	t.Run("no wildcard resource in any role policy", func(t *testing.T) {
		policies := doc.Resources("aws_iam_role_policy")
		require.Len(t, policies, 2)
		for name, policy := range policies {
			t.Run(name, func(t *testing.T) {
				assertLeastPrivilege(t, statementsBySid(t, policy["policy"]))
			})
		}
	})
}

func TestReplicationRoleName(t *testing.T) {
	t.Run("short name is kept", func(t *testing.T) {
		assert.Equal(t, "honeyhive-test-usw2-events-replication", replicationRoleName("honeyhive-test-usw2-events"))
	})

	t.Run("long names fit IAM", func(t *testing.T) {
		a := strings.Repeat("a", 55) + "-events"
		b := strings.Repeat("a", 55) + "-export"
		nameA, nameB := replicationRoleName(a), replicationRoleName(b)
		assert.LessOrEqual(t, len(nameA), 64)
		assert.LessOrEqual(t, len(nameB), 64)
		assert.True(t, strings.HasSuffix(nameA, "-replication"), nameA)
		assert.NotEqual(t, nameA, nameB, "names sharing a long prefix get different roles")
		assert.Equal(t, nameA, replicationRoleName(a), "the name is stable")
	})
}

func TestBucketConfigValidate(t *testing.T) {
	tests := []struct {
		name   string
		modify func(*BucketConfig)
		want   string
	}{
		{"missing name", func(c *BucketConfig) { c.Name = "" }, "BucketConfig.Name is missing"},
		{"name with dots", func(c *BucketConfig) { c.Name = "honeyhive.events" }, `"honeyhive.events" contains dots`},
		{"uppercase name", func(c *BucketConfig) { c.Name = "HoneyHive-events" }, `"HoneyHive-events" is invalid`},
		{"name too short", func(c *BucketConfig) { c.Name = "ab" }, `"ab" is invalid`},
		{"name too long", func(c *BucketConfig) { c.Name = strings.Repeat("a", 64) }, "is invalid; use 3 to 63"},
		{"name ends with hyphen", func(c *BucketConfig) { c.Name = "events-" }, `"events-" is invalid`},
		{"reserved prefix", func(c *BucketConfig) { c.Name = "xn--events" }, `reserved prefix "xn--"`},
		{"reserved suffix", func(c *BucketConfig) { c.Name = "events-s3alias" }, `reserved suffix "-s3alias"`},
		{"missing key", func(c *BucketConfig) { c.KMSKeyARN = nil }, "BucketConfig.KMSKeyARN is missing"},
		{"key alias", func(c *BucketConfig) { c.KMSKeyARN = jsii.String("alias/prod-usw2-data") }, `"alias/prod-usw2-data" is not a KMS key ARN`},
		{"bad account", func(c *BucketConfig) { c.AccountID = "1234" }, `BucketConfig.AccountID: "1234" is not a 12-digit AWS account ID`},
		{"missing region", func(c *BucketConfig) { c.Region = "" }, "BucketConfig.Region is missing"},
		{"bad region", func(c *BucketConfig) { c.Region = "usw2" }, `BucketConfig.Region: "usw2" is not an AWS region name`},
		{"china partition", func(c *BucketConfig) { c.Partition = "aws-cn" }, `BucketConfig.Partition: "aws-cn" is not supported`},
		{"negative noncurrent days", func(c *BucketConfig) { c.NoncurrentVersionDays = -1 }, "NoncurrentVersionDays: -1 is invalid"},
		{"negative tiering days", func(c *BucketConfig) { c.IntelligentTieringAfterDays = -5 }, "IntelligentTieringAfterDays: -5 is invalid"},
		{"replication without bucket", func(c *BucketConfig) {
			c.Replication = testReplication()
			c.Replication.DestinationBucketARN = nil
		}, "Replication.DestinationBucketARN is missing"},
		{"replication with bucket name", func(c *BucketConfig) {
			c.Replication = testReplication()
			c.Replication.DestinationBucketARN = jsii.String(testDRBucket)
		}, "is not an S3 bucket ARN"},
		{"replication to other partition", func(c *BucketConfig) {
			c.Replication = testReplication()
			c.Replication.DestinationBucketARN = jsii.String("arn:aws-us-gov:s3:::" + testDRBucket)
		}, `is in partition "aws-us-gov", not "aws"`},
		{"replication to itself", func(c *BucketConfig) {
			c.Replication = testReplication()
			c.Replication.DestinationBucketARN = jsii.String("arn:aws:s3:::" + testBucket)
		}, "is the source bucket itself"},
		{"replication without key", func(c *BucketConfig) {
			c.Replication = testReplication()
			c.Replication.DestinationKMSKeyARN = jsii.String("")
		}, "Replication.DestinationKMSKeyARN is missing"},
		{"replication key of other region", func(c *BucketConfig) {
			c.Replication = testReplication()
			c.Replication.DestinationKMSKeyARN = jsii.String(testDataKey)
		}, `is in region "us-west-2", not DestinationRegion "us-east-2"`},
		{"replication without region", func(c *BucketConfig) {
			c.Replication = testReplication()
			c.Replication.DestinationRegion = ""
		}, "Replication.DestinationRegion is missing"},
		{"replication to own region", func(c *BucketConfig) {
			c.Replication = testReplication()
			c.Replication.DestinationRegion = testRegion
			c.Replication.DestinationKMSKeyARN = jsii.String(testDataKey)
		}, `DestinationRegion: "us-west-2" is the bucket's own region`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := testBucketConfig()
			tt.modify(&cfg)
			assert.ErrorContains(t, cfg.withDefaults().Validate(), tt.want)
		})
	}
}

func TestBucketConfigValidateAccepts(t *testing.T) {
	t.Run("defaults", func(t *testing.T) {
		cfg := testBucketConfig().withDefaults()
		require.NoError(t, cfg.Validate())
		assert.Equal(t, "aws", cfg.Partition)
		assert.Equal(t, 90, cfg.NoncurrentVersionDays)
		assert.Equal(t, 30, cfg.IntelligentTieringAfterDays)
	})

	t.Run("replication with literals", func(t *testing.T) {
		cfg := testBucketConfig()
		cfg.Replication = testReplication()
		assert.NoError(t, cfg.withDefaults().Validate())
	})

	t.Run("replication with tokens", func(t *testing.T) {
		stack := synthtest.Stack(t)
		drBucket := s3bucket.NewS3Bucket(stack, jsii.String("dr_bucket"), &s3bucket.S3BucketConfig{})
		drKey := kmskey.NewKmsKey(stack, jsii.String("dr_key"), &kmskey.KmsKeyConfig{})
		cfg := testBucketConfig()
		cfg.KMSKeyARN = drKey.Arn()
		cfg.Replication = &Replication{DestinationBucketARN: drBucket.Arn(), DestinationKMSKeyARN: drKey.Arn(), DestinationRegion: testDRRegion}
		assert.NoError(t, cfg.withDefaults().Validate())
	})
}

func TestBucketConfigValidateReportsEveryProblem(t *testing.T) {
	err := BucketConfig{Name: "a.b", AccountID: "x"}.withDefaults().Validate()
	require.Error(t, err)
	for _, want := range []string{"BucketConfig.Name", "BucketConfig.KMSKeyARN", "BucketConfig.AccountID", "BucketConfig.Region"} {
		assert.ErrorContains(t, err, want)
	}
}

func TestNewBucketPanics(t *testing.T) {
	cfg := testBucketConfig()
	cfg.Name = "events.example"
	stack := synthtest.Stack(t)
	assert.PanicsWithError(t, cfg.withDefaults().Validate().Error(), func() { NewBucket(stack, "events", cfg) })
}

// TestBucketPolicyIsPlainJSON checks that the bucket policy holds no
// unresolved token, so reviewers see it exactly as S3 receives it.
func TestBucketPolicyIsPlainJSON(t *testing.T) {
	policy := bucketPolicy(bucketARN("aws", testBucket)).JSON()
	assert.NotContains(t, policy, "${")
	assert.True(t, json.Valid([]byte(policy)))
}
