package sharedsecrets

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
	testAccount    = "111122223333"
	testRootARN    = "arn:aws:iam::111122223333:root"
	testDeployARN  = "arn:aws:iam::111122223333:role/deploy"
	testReaderARN  = "arn:aws:iam::111122223333:role/twingate-operator"
	testForeignARN = "arn:aws:iam::444455556666:role/platform/twingate-connector"
	testWriterARN  = "arn:aws:iam::111122223333:role/secret-writer"
	testLambdaARN  = "arn:aws:lambda:us-west-2:111122223333:function:rotate-twingate-token"
	testRotatorARN = "arn:aws:iam::111122223333:role/rotate-twingate-token"
	testSecretName = "platform/twingate-api-token"
	testARNPattern = "arn:aws:secretsmanager:us-west-2:111122223333:secret:platform/twingate-api-token-??????"
)

func testSecretConfig() SecretConfig {
	return SecretConfig{
		Name:           testSecretName,
		Description:    "Twingate API token for the connectors",
		AccountID:      testAccount,
		Region:         "us-west-2",
		ReaderRoleARNs: []string{testReaderARN, testForeignARN},
		AdminRoleARNs:  []string{testDeployARN},
	}
}

// statementsBySid decodes a policy and indexes its statements by Sid.
func statementsBySid(t *testing.T, policy any) map[string]map[string]any {
	t.Helper()
	doc := synthtest.JSON(t, policy)
	assert.Equal(t, "2012-10-17", doc["Version"])
	raw, ok := doc["Statement"].([]any)
	require.True(t, ok, "policy has no Statement list")
	bySid := map[string]map[string]any{}
	for _, s := range raw {
		statement, ok := s.(map[string]any)
		require.True(t, ok, "statement is not an object")
		sid, _ := statement["Sid"].(string)
		require.NotContains(t, bySid, sid, "Sid %q is repeated", sid)
		bySid[sid] = statement
	}
	return bySid
}

// stringList decodes a JSON value that is a string or a list of strings.
func stringList(t *testing.T, value any) []string {
	t.Helper()
	switch v := value.(type) {
	case string:
		return []string{v}
	case []any:
		out := make([]string, len(v))
		for i, item := range v {
			s, ok := item.(string)
			require.Truef(t, ok, "list item %v is not a string", item)
			out[i] = s
		}
		return out
	}
	require.Failf(t, "not a string or list", "%T: %v", value, value)
	return nil
}

// awsPrincipals returns the AWS principals of a statement.
func awsPrincipals(t *testing.T, statement map[string]any) []string {
	t.Helper()
	principal, ok := statement["Principal"].(map[string]any)
	require.Truef(t, ok, "statement %v has no Principal object", statement["Sid"])
	return stringList(t, principal["AWS"])
}

// assertNoWildcards checks that no statement names a "*" principal or a
// wildcard action.
func assertNoWildcards(t *testing.T, statements map[string]map[string]any) {
	t.Helper()
	for sid, statement := range statements {
		assert.NotContains(t, awsPrincipals(t, statement), "*", "statement %s names the * principal", sid)
		for _, action := range stringList(t, statement["Action"]) {
			assert.NotContains(t, action, "*", "statement %s has the wildcard action %s", sid, action)
		}
	}
}

func keys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	return out
}

func TestSecretResources(t *testing.T) {
	stack := synthtest.Stack(t)
	secret := NewSecret(stack, "twingate_token", testSecretConfig())
	cdktf.NewTerraformOutput(stack, jsii.String("secret_arn"), &cdktf.TerraformOutputConfig{Value: secret.ARN})
	cdktf.NewTerraformOutput(stack, jsii.String("key_arn"), &cdktf.TerraformOutputConfig{Value: secret.KeyARN})
	doc := synthtest.Synth(t, stack)

	assert.Equal(t, testSecretName, secret.Name)
	assert.Equal(t, "${aws_secretsmanager_secret.twingate_token_secret.arn}", doc.Outputs()["secret_arn"]["value"])
	assert.Equal(t, "${aws_kms_key.twingate_token_key.arn}", doc.Outputs()["key_arn"]["value"])

	key := doc.Resource(t, "aws_kms_key", "twingate_token_key")
	assert.Equal(t, true, key["enable_key_rotation"])
	assert.EqualValues(t, 30, key["deletion_window_in_days"])
	assert.Equal(t, map[string]any{"prevent_destroy": true}, key["lifecycle"])
	assert.Equal(t, map[string]any{"Name": testSecretName}, key["tags"])

	s := doc.Resource(t, "aws_secretsmanager_secret", "twingate_token_secret")
	assert.Equal(t, testSecretName, s["name"])
	assert.Equal(t, "Twingate API token for the connectors", s["description"])
	assert.Equal(t, "${aws_kms_key.twingate_token_key.arn}", s["kms_key_id"])
	assert.EqualValues(t, 30, s["recovery_window_in_days"])
	assert.Equal(t, map[string]any{"prevent_destroy": true}, s["lifecycle"])
	assert.NotContains(t, s, "policy", "the policy is a resource of its own")

	policy := doc.Resource(t, "aws_secretsmanager_secret_policy", "twingate_token_policy")
	assert.Equal(t, "${aws_secretsmanager_secret.twingate_token_secret.arn}", policy["secret_arn"])
	assert.Equal(t, true, policy["block_public_policy"])

	assert.Empty(t, doc.Resources("aws_secretsmanager_secret_version"), "the value must never enter Terraform state")
	assert.Empty(t, doc.Resources("aws_secretsmanager_secret_rotation"), "rotation is off without a Lambda function")
}

func TestKeyPolicyStatements(t *testing.T) {
	stack := synthtest.Stack(t)
	NewSecret(stack, "default_writers", testSecretConfig())
	cfg := testSecretConfig()
	cfg.WriterRoleARNs = []string{testWriterARN}
	NewSecret(stack, "own_writers", cfg)
	doc := synthtest.Synth(t, stack)

	statements := statementsBySid(t, doc.Resource(t, "aws_kms_key", "default_writers_key")["policy"])
	assert.ElementsMatch(t, []string{sidAdministration, sidReaders, sidWriters}, keys(statements))
	assertNoWildcards(t, statements)

	admin := statements[sidAdministration]
	assert.ElementsMatch(t, []string{testRootARN, testDeployARN}, awsPrincipals(t, admin))
	for _, action := range stringList(t, admin["Action"]) {
		assert.NotRegexp(t, `^kms:(Encrypt|Decrypt|ReEncrypt|GenerateDataKey|CreateGrant)`, action, "admins must not be able to use the key")
	}
	assert.Contains(t, stringList(t, admin["Action"]), "kms:PutKeyPolicy")
	assert.Nil(t, admin["Condition"])

	// Readers are named by account and matched by role ARN, so the policy
	// is valid before the reader roles exist.
	readers := statements[sidReaders]
	assert.Equal(t, "Allow", readers["Effect"])
	assert.ElementsMatch(t, []string{testRootARN, "arn:aws:iam::444455556666:root"}, awsPrincipals(t, readers))
	assert.Equal(t, []string{"kms:Decrypt"}, stringList(t, readers["Action"]))
	assert.Equal(t, map[string]any{
		"StringEquals": map[string]any{"kms:ViaService": "secretsmanager.us-west-2.amazonaws.com"},
		"StringLike":   map[string]any{"kms:EncryptionContext:SecretARN": testARNPattern},
		"ArnEquals":    map[string]any{"aws:PrincipalArn": []any{testReaderARN, testForeignARN}},
	}, readers["Condition"], "only the reader roles may decrypt")

	writers := statements[sidWriters]
	assert.Equal(t, []string{testDeployARN}, awsPrincipals(t, writers), "writers default to the admins")
	assert.Equal(t, []string{"kms:GenerateDataKey"}, stringList(t, writers["Action"]), "writers must not decrypt")
	assert.Equal(t, map[string]any{
		"StringEquals": map[string]any{"kms:ViaService": "secretsmanager.us-west-2.amazonaws.com"},
		"StringLike":   map[string]any{"kms:EncryptionContext:SecretARN": testARNPattern},
	}, writers["Condition"])

	for sid, statement := range statements {
		if sid == sidAdministration || sid == sidReaders {
			continue
		}
		assert.NotContains(t, awsPrincipals(t, statement), testRootARN, "statement %s lets IAM policies grant key use", sid)
	}

	own := statementsBySid(t, doc.Resource(t, "aws_kms_key", "own_writers_key")["policy"])
	assert.Equal(t, []string{testWriterARN}, awsPrincipals(t, own[sidWriters]))
	assert.ElementsMatch(t, []string{testRootARN, testDeployARN}, awsPrincipals(t, own[sidAdministration]))
}

func TestSecretPolicyReadersOnly(t *testing.T) {
	stack := synthtest.Stack(t)
	cfg := testSecretConfig()
	cfg.ReaderRoleARNs = append(cfg.ReaderRoleARNs, testReaderARN)
	NewSecret(stack, "twingate_token", cfg)
	doc := synthtest.Synth(t, stack)

	statements := statementsBySid(t, doc.Resource(t, "aws_secretsmanager_secret_policy", "twingate_token_policy")["policy"])
	assert.ElementsMatch(t, []string{sidSecretReaders}, keys(statements))
	assertNoWildcards(t, statements)

	readers := statements[sidSecretReaders]
	assert.Equal(t, "Allow", readers["Effect"])
	assert.Equal(t, []string{testRootARN, "arn:aws:iam::444455556666:root"}, awsPrincipals(t, readers), "the readers' accounts, each once")
	assert.Equal(t, map[string]any{"ArnEquals": map[string]any{"aws:PrincipalArn": []any{testReaderARN, testForeignARN}}}, readers["Condition"],
		"exactly the reader roles, each once")
	assert.ElementsMatch(t, []string{"secretsmanager:GetSecretValue", "secretsmanager:DescribeSecret"}, stringList(t, readers["Action"]))
	assert.Equal(t, []string{"${aws_secretsmanager_secret.twingate_token_secret.arn}"}, stringList(t, readers["Resource"]))
}

func TestSecretRotation(t *testing.T) {
	cases := []struct {
		name      string
		lambdaARN string
		days      int
		wantDays  float64
	}{
		{"off", "", 0, 0},
		{"default days", testLambdaARN, 0, 30},
		{"custom days", testLambdaARN, 7, 7},
	}
	stack := synthtest.Stack(t)
	for _, c := range cases {
		cfg := testSecretConfig()
		cfg.RotationLambdaARN = c.lambdaARN
		cfg.RotationDays = c.days
		if c.lambdaARN != "" {
			cfg.RotationRoleARN = testRotatorARN
		}
		NewSecret(stack, strings.ReplaceAll(c.name, " ", "_"), cfg)
	}
	doc := synthtest.Synth(t, stack)
	assert.Len(t, doc.Resources("aws_secretsmanager_secret_rotation"), 2)

	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			id := strings.ReplaceAll(c.name, " ", "_")
			statements := statementsBySid(t, doc.Resource(t, "aws_kms_key", id+"_key")["policy"])
			rotation, rotates := doc.Resources("aws_secretsmanager_secret_rotation")[id+"_rotation"]
			if c.lambdaARN == "" {
				assert.False(t, rotates, "no rotation without a Lambda function")
				assert.NotContains(t, statements, sidRotation)
				return
			}
			require.True(t, rotates, "rotation resource missing")
			assert.Equal(t, "${aws_secretsmanager_secret."+id+"_secret.id}", rotation["secret_id"])
			assert.Equal(t, testLambdaARN, rotation["rotation_lambda_arn"])
			assert.Equal(t, false, rotation["rotate_immediately"], "the value may not exist when rotation is turned on")
			assert.Equal(t, map[string]any{"automatically_after_days": c.wantDays}, rotation["rotation_rules"])

			rotator := statements[sidRotation]
			require.NotNil(t, rotator, "rotation statement missing from the key policy")
			assert.Equal(t, []string{testRotatorARN}, awsPrincipals(t, rotator))
			assert.ElementsMatch(t, []string{"kms:Decrypt", "kms:GenerateDataKey"}, stringList(t, rotator["Action"]))
			assert.Equal(t, statements[sidWriters]["Condition"], rotator["Condition"])
			readerRoles := statements[sidReaders]["Condition"].(map[string]any)["ArnEquals"].(map[string]any)["aws:PrincipalArn"]
			assert.ElementsMatch(t, []any{testReaderARN, testForeignARN}, readerRoles, "rotation adds no reader")
		})
	}
}

func TestSecretConfigValidate(t *testing.T) {
	assert.NoError(t, testSecretConfig().withDefaults().Validate())

	rotating := func(c *SecretConfig) {
		c.RotationLambdaARN = testLambdaARN
		c.RotationRoleARN = testRotatorARN
	}
	cases := []struct {
		name   string
		modify func(*SecretConfig)
		want   string
	}{
		{"missing name", func(c *SecretConfig) { c.Name = "" }, "sharedsecrets: SecretConfig.Name is missing"},
		{"name with space", func(c *SecretConfig) { c.Name = "twingate token" }, `sharedsecrets: SecretConfig.Name: "twingate token" is invalid`},
		{"name with wildcard", func(c *SecretConfig) { c.Name = "platform/*" }, `SecretConfig.Name: "platform/*" is invalid`},
		{"name too long", func(c *SecretConfig) { c.Name = strings.Repeat("a", 513) }, "is too long; use at most 512 characters"},
		{"description too long", func(c *SecretConfig) { c.Description = strings.Repeat("a", 2049) }, "sharedsecrets: SecretConfig.Description is 2049 characters long"},
		{"bad account", func(c *SecretConfig) { c.AccountID = "1234" }, `sharedsecrets: SecretConfig.AccountID: "1234" is not a 12-digit AWS account ID`},
		{"missing region", func(c *SecretConfig) { c.Region = "" }, "sharedsecrets: SecretConfig.Region is missing"},
		{"china partition", func(c *SecretConfig) { c.Partition = "aws-cn" }, `sharedsecrets: SecretConfig.Partition: "aws-cn" is not supported`},
		{"no readers", func(c *SecretConfig) { c.ReaderRoleARNs = nil }, "sharedsecrets: SecretConfig.ReaderRoleARNs is empty"},
		{"wildcard reader", func(c *SecretConfig) { c.ReaderRoleARNs = []string{"arn:aws:iam::111122223333:role/*"} }, `sharedsecrets: SecretConfig.ReaderRoleARNs[0]: "arn:aws:iam::111122223333:role/*" is not an IAM role ARN`},
		{"star reader", func(c *SecretConfig) { c.ReaderRoleARNs = []string{testReaderARN, "*"} }, `SecretConfig.ReaderRoleARNs[1]: "*" is not an IAM role ARN`},
		{"account root reader", func(c *SecretConfig) { c.ReaderRoleARNs = []string{testRootARN} }, `SecretConfig.ReaderRoleARNs[0]: "` + testRootARN + `" is not an IAM role ARN`},
		{"reader in other partition", func(c *SecretConfig) { c.ReaderRoleARNs = []string{"arn:aws-us-gov:iam::111122223333:role/reader"} }, `is in partition "aws-us-gov", not "aws"`},
		{"no admins", func(c *SecretConfig) { c.AdminRoleARNs = nil }, "sharedsecrets: SecretConfig.AdminRoleARNs is empty"},
		{"wildcard admin", func(c *SecretConfig) { c.AdminRoleARNs = []string{"arn:aws:iam::111122223333:role/admin-*"} }, "SecretConfig.AdminRoleARNs[0]"},
		{"wildcard writer", func(c *SecretConfig) { c.WriterRoleARNs = []string{"arn:aws:iam::*:role/writer"} }, "SecretConfig.WriterRoleARNs[0]"},
		{"bad rotation lambda", func(c *SecretConfig) { rotating(c); c.RotationLambdaARN = "rotate-token" }, `sharedsecrets: SecretConfig.RotationLambdaARN: "rotate-token" is not a Lambda function ARN`},
		{"rotation without role", func(c *SecretConfig) { rotating(c); c.RotationRoleARN = "" }, "sharedsecrets: SecretConfig.RotationRoleARN is missing"},
		{"wildcard rotation role", func(c *SecretConfig) { rotating(c); c.RotationRoleARN = "arn:aws:iam::111122223333:role/*" }, "SecretConfig.RotationRoleARN"},
		{"rotation days too high", func(c *SecretConfig) { rotating(c); c.RotationDays = 1001 }, "sharedsecrets: SecretConfig.RotationDays: 1001 is out of range; use 1 to 1000 days"},
		{"negative rotation days", func(c *SecretConfig) { rotating(c); c.RotationDays = -1 }, "SecretConfig.RotationDays: -1 is out of range"},
		{"rotation days without lambda", func(c *SecretConfig) { c.RotationDays = 30 }, "SecretConfig.RotationDays: 30 is set but RotationLambdaARN is empty"},
		{"rotation role without lambda", func(c *SecretConfig) { c.RotationRoleARN = testRotatorARN }, "SecretConfig.RotationRoleARN: \"" + testRotatorARN + "\" is set but RotationLambdaARN is empty"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			cfg := testSecretConfig()
			c.modify(&cfg)
			assert.ErrorContains(t, cfg.withDefaults().Validate(), c.want)
		})
	}
}

func TestSecretConfigDefaults(t *testing.T) {
	got := testSecretConfig().withDefaults()
	assert.Equal(t, "aws", got.Partition)
	assert.Equal(t, []string{testDeployARN}, got.WriterRoleARNs)
	assert.Equal(t, 0, got.RotationDays, "no rotation period without rotation")

	cfg := testSecretConfig()
	cfg.RotationLambdaARN = testLambdaARN
	assert.Equal(t, 30, cfg.withDefaults().RotationDays)
}

func TestNewSecretPanicsOnInvalidConfig(t *testing.T) {
	stack := synthtest.Stack(t)
	cfg := testSecretConfig()
	cfg.ReaderRoleARNs = nil
	assert.PanicsWithError(t, "sharedsecrets: SecretConfig.ReaderRoleARNs is empty; list the exact ARNs of the roles that may read the secret", func() {
		NewSecret(stack, "secret", cfg)
	})
}
