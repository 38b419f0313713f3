// The system OpenSSL (Debian's libssl-dev), for VigilHTTPClient's TLS layer.
// Functions OpenSSL defines as macros do not reach Swift; the inline wrappers below stand in.
#ifndef VIGIL_COPENSSL_SHIM_H
#define VIGIL_COPENSSL_SHIM_H

#include <openssl/ssl.h>
#include <openssl/err.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>
#include <openssl/pem.h>
#include <openssl/bio.h>

/// SSL_set_tlsext_host_name: the server name sent in the ClientHello (SNI).
static inline int vigil_SSL_set_server_name(SSL *ssl, const char *name) {
    return SSL_set_tlsext_host_name(ssl, name);
}

/// SSL_CTX_set_min_proto_version.
static inline int vigil_SSL_CTX_set_min_proto_version(SSL_CTX *context, int version) {
    return SSL_CTX_set_min_proto_version(context, version);
}

/// BIO_set_mem_eof_return: what reading an empty memory BIO returns; -1 makes it ask for a retry.
static inline long vigil_BIO_set_mem_eof_return(BIO *bio, long value) {
    return BIO_set_mem_eof_return(bio, value);
}

#endif
