package testutil

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"math/big"
	"net"
	"os"
	"path/filepath"
	"testing"
	"time"
)

// Certs are the PEM files of a small PKI for TLS tests, valid for an hour
// around now.
type Certs struct {
	// CA signed the server and client certificates.
	CA string
	// ServerCert and ServerKey are a server certificate for 127.0.0.1.
	ServerCert, ServerKey string
	// ClientCert and ClientKey are a client certificate.
	ClientCert, ClientKey string
	// OtherCA is a CA that signed nothing of the above.
	OtherCA string
	// IntruderCert and IntruderKey are a client certificate signed by
	// OtherCA.
	IntruderCert, IntruderKey string
}

// WriteCerts writes a CA, a server and a client certificate it signed,
// another CA and a client certificate that one signed into dir.
func WriteCerts(t testing.TB, dir string) Certs {
	t.Helper()
	p := pki{t: t, dir: dir}
	var c Certs
	ca, caKey := p.ca("ca")
	other, otherKey := p.ca("other")
	c.CA, c.OtherCA = p.path("ca.pem"), p.path("other.pem")
	c.ServerCert, c.ServerKey = p.sign("server", x509.ExtKeyUsageServerAuth, []net.IP{net.ParseIP("127.0.0.1")}, ca, caKey)
	c.ClientCert, c.ClientKey = p.sign("client", x509.ExtKeyUsageClientAuth, nil, ca, caKey)
	c.IntruderCert, c.IntruderKey = p.sign("intruder", x509.ExtKeyUsageClientAuth, nil, other, otherKey)
	return c
}

// pki writes the files of WriteCerts.
type pki struct {
	t      testing.TB
	dir    string
	serial int64
}

func (p *pki) path(name string) string { return filepath.Join(p.dir, name) }

func (p *pki) key() *ecdsa.PrivateKey {
	k, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		p.t.Fatal(err)
	}
	return k
}

// create signs tmpl (with parent, or itself) and writes it to name.pem.
func (p *pki) create(name string, tmpl, parent *x509.Certificate, pub *ecdsa.PublicKey, signer *ecdsa.PrivateKey) *x509.Certificate {
	p.serial++
	tmpl.SerialNumber = big.NewInt(p.serial)
	tmpl.Subject = pkix.Name{CommonName: name}
	tmpl.NotBefore, tmpl.NotAfter = time.Now().Add(-time.Hour), time.Now().Add(time.Hour)
	if parent == nil {
		parent = tmpl
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, parent, pub, signer)
	if err != nil {
		p.t.Fatal(err)
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		p.t.Fatal(err)
	}
	p.write(name+".pem", "CERTIFICATE", der)
	return cert
}

func (p *pki) write(name, typ string, der []byte) string {
	path := p.path(name)
	if err := os.WriteFile(path, pem.EncodeToMemory(&pem.Block{Type: typ, Bytes: der}), 0o600); err != nil {
		p.t.Fatal(err)
	}
	return path
}

// ca creates a self-signed CA.
func (p *pki) ca(name string) (*x509.Certificate, *ecdsa.PrivateKey) {
	k := p.key()
	tmpl := &x509.Certificate{IsCA: true, BasicConstraintsValid: true, KeyUsage: x509.KeyUsageCertSign}
	return p.create(name, tmpl, nil, &k.PublicKey, k), k
}

// sign creates a certificate for usage signed by ca and returns the paths
// of the certificate and its key.
func (p *pki) sign(name string, usage x509.ExtKeyUsage, ips []net.IP, ca *x509.Certificate, caKey *ecdsa.PrivateKey) (cert, key string) {
	k := p.key()
	tmpl := &x509.Certificate{KeyUsage: x509.KeyUsageDigitalSignature, ExtKeyUsage: []x509.ExtKeyUsage{usage}, IPAddresses: ips}
	p.create(name, tmpl, ca, &k.PublicKey, caKey)
	der, err := x509.MarshalECPrivateKey(k)
	if err != nil {
		p.t.Fatal(err)
	}
	return p.path(name + ".pem"), p.write(name+".key", "EC PRIVATE KEY", der)
}
