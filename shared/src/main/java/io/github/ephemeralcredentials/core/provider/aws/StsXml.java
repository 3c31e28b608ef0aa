package io.github.ephemeralcredentials.core.provider.aws;

import java.io.IOException;
import java.io.StringReader;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;
import org.xml.sax.ErrorHandler;
import org.xml.sax.InputSource;
import org.xml.sax.SAXException;
import org.xml.sax.SAXParseException;

/**
 * Reads STS query-protocol XML with the JDK's DOM parser, hardened: no DTDs (so no entity expansion or external
 * entities), no external schemas, secure processing on. Elements are matched by local name, and the namespace may
 * be STS's ({@value #NAMESPACE}) or none: Ceph RadosGW answers without one.
 */
final class StsXml {

    static final String NAMESPACE = "https://sts.amazonaws.com/doc/2011-06-15/";

    private static final ErrorHandler SILENT = new ErrorHandler() {
        // The default handler prints "[Fatal Error]" lines to stderr; we report parse failures ourselves.
        @Override
        public void warning(SAXParseException e) {
        }

        @Override
        public void error(SAXParseException e) throws SAXException {
            throw e;
        }

        @Override
        public void fatalError(SAXParseException e) throws SAXException {
            throw e;
        }
    };

    private StsXml() {
    }

    /** Thrown when a body is not the XML we expect; its message never quotes the body (it may hold secrets). */
    static final class MalformedException extends Exception {
        MalformedException(String message) {
            super(message);
        }
    }

    static Document parse(String body) throws MalformedException {
        try {
            DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
            factory.setNamespaceAware(true);
            factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            factory.setFeature("http://xml.org/sax/features/external-general-entities", false);
            factory.setFeature("http://xml.org/sax/features/external-parameter-entities", false);
            factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            factory.setAttribute(XMLConstants.ACCESS_EXTERNAL_DTD, "");
            factory.setAttribute(XMLConstants.ACCESS_EXTERNAL_SCHEMA, "");
            factory.setXIncludeAware(false);
            factory.setExpandEntityReferences(false);
            DocumentBuilder builder = factory.newDocumentBuilder();
            builder.setErrorHandler(SILENT);
            return builder.parse(new InputSource(new StringReader(body)));
        } catch (ParserConfigurationException e) {
            throw new IllegalStateException("the JDK XML parser does not support the hardening STS parsing needs", e);
        } catch (SAXParseException e) {
            throw new MalformedException("not well-formed XML (line " + e.getLineNumber() + ", column "
                    + e.getColumnNumber() + ")");
        } catch (SAXException | IOException e) {
            throw new MalformedException("not well-formed XML");
        }
    }

    /** The credentials of an {@code <action>Response}, e.g. {@code AssumeRoleWithWebIdentityResponse}. */
    static StsCredentials credentials(String body, String action) throws MalformedException {
        Element root = parse(body).getDocumentElement();
        String expectedRoot = action + "Response";
        if (!expectedRoot.equals(root.getLocalName()) || !namespaceAccepted(root)) {
            throw new MalformedException("expected <" + expectedRoot + "> in namespace " + NAMESPACE
                    + " or none, got <" + root.getLocalName() + ">"
                    + (root.getNamespaceURI() == null ? "" : " in namespace " + root.getNamespaceURI()));
        }
        Element result = child(root, action + "Result")
                .orElseThrow(() -> new MalformedException("no <" + action + "Result> element"));
        Element credentials = child(result, "Credentials")
                .orElseThrow(() -> new MalformedException("no <Credentials> element"));
        String expiration = required(credentials, "Expiration");
        Optional<Element> user = child(result, "AssumedRoleUser");
        return new StsCredentials(
                required(credentials, "AccessKeyId"),
                required(credentials, "SecretAccessKey"),
                required(credentials, "SessionToken"),
                instant(expiration),
                user.flatMap(u -> text(u, "Arn")).orElse(null),
                // Ceph RadosGW writes <AssumeRoleId>.
                user.flatMap(u -> text(u, "AssumedRoleId").or(() -> text(u, "AssumeRoleId"))).orElse(null),
                child(root, "ResponseMetadata").flatMap(m -> text(m, "RequestId")).orElse(null));
    }

    /** The error of an error body in either shape, or empty if the body is neither. */
    static Optional<StsError> error(String body) {
        Element root;
        try {
            root = parse(body).getDocumentElement();
        } catch (MalformedException e) {
            return Optional.empty();
        }
        if ("ErrorResponse".equals(root.getLocalName())) {
            Optional<Element> error = child(root, "Error");
            if (error.isEmpty()) {
                return Optional.empty();
            }
            Element e = error.get();
            return text(e, "Code").map(code -> new StsError(text(e, "Type").orElse(null), code,
                    text(e, "Message").orElse(null), text(root, "RequestId").orElse(null)));
        }
        if ("Error".equals(root.getLocalName())) {
            return text(root, "Code").map(code -> new StsError(text(root, "Type").orElse(null), code,
                    text(root, "Message").orElse(null), text(root, "RequestId").orElse(null)));
        }
        return Optional.empty();
    }

    private static boolean namespaceAccepted(Element e) {
        return e.getNamespaceURI() == null || NAMESPACE.equals(e.getNamespaceURI());
    }

    private static Optional<Element> child(Element parent, String localName) {
        NodeList nodes = parent.getChildNodes();
        for (int i = 0; i < nodes.getLength(); i++) {
            Node n = nodes.item(i);
            if (n instanceof Element e && localName.equals(e.getLocalName())) {
                return Optional.of(e);
            }
        }
        return Optional.empty();
    }

    private static Optional<String> text(Element parent, String localName) {
        return child(parent, localName).map(e -> e.getTextContent().strip()).filter(s -> !s.isEmpty());
    }

    private static String required(Element parent, String localName) throws MalformedException {
        Optional<String> value = text(parent, localName);
        if (value.isEmpty()) {
            throw new MalformedException("no <" + localName + "> in <" + parent.getLocalName() + ">");
        }
        return value.get();
    }

    private static Instant instant(String value) throws MalformedException {
        try {
            return OffsetDateTime.parse(value).toInstant();
        } catch (DateTimeParseException e) {
            throw new MalformedException("<Expiration> is not an ISO-8601 date-time");
        }
    }
}
