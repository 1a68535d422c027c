// Package dns creates Route 53 hosted zones. A region's private hosted zone
// gives internal services stable names that resolve only inside its VPC.
package dns
