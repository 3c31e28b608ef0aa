package io.jenkins.plugins.ephemeral_credentials.issuer;

/**
 * This Jenkins has no usable issuer URL in its configuration, so it neither signs build tokens nor serves discovery:
 * the message says what an administrator sets, and where.
 */
public final class IssuerNotConfiguredException extends IllegalStateException {

    private static final long serialVersionUID = 1L;

    IssuerNotConfiguredException(String message) {
        super(message);
    }
}
