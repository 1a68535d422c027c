// Package sharedsecrets creates Secrets Manager secrets that a fixed list of
// IAM roles, in this account or others, may read.
//
// Each secret gets a KMS key of its own, so that the key policy, not IAM
// policies in the owning account, decides who can decrypt the value. The key
// policy never names the account root for use actions and never names a "*"
// principal. It allows these principals:
//
//   - The account root and the admin roles may manage the key but not use
//     it. Because kms:PutKeyPolicy still lets an admin grant itself more,
//     admins must be trusted like readers.
//   - The reader roles may call kms:Decrypt, and the writer roles
//     kms:GenerateDataKey, only through Secrets Manager in the secret's
//     region and only for this secret, whose ARN Secrets Manager sends in
//     the encryption context.
//   - When rotation is on, the rotation function's role may do both.
//
// The secret's resource policy allows secretsmanager:GetSecretValue and
// secretsmanager:DescribeSecret to the reader roles only, by exact ARN, and
// Secrets Manager rejects any later policy that would make the secret public.
//
// Terraform creates the secret without a value: there is no
// aws_secretsmanager_secret_version resource, so the value never enters
// Terraform state or plans. A writer role sets it afterwards, for example
// with "aws secretsmanager put-secret-value".
//
// The admin, writer and rotation roles are named as principals and must
// exist before the apply, because KMS and Secrets Manager reject policies
// that name unknown principals. Readers are usually created later, by
// clusters in other accounts, so the policies name the readers' accounts and
// match the reader roles by aws:PrincipalArn. A reader role in another
// account also needs an IAM policy in its own account allowing
// secretsmanager:GetSecretValue on the secret and kms:Decrypt on the key.
package sharedsecrets
