"""A SAML 2.0 identity provider for tests, built with pysaml2 (which signs with Debian's xmlsec1):
its own key and certificate made on the spot, the app's service-provider metadata read from the
app, an AuthnRequest answered with a signed response for whoever the test says signed in."""

import base64
import datetime
import shutil
from dataclasses import dataclass
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID
from saml2 import BINDING_HTTP_REDIRECT
from saml2.config import IdPConfig
from saml2.saml import AUTHN_PASSWORD, NAME_FORMAT_URI, NAMEID_FORMAT_EMAILADDRESS, NameID
from saml2.server import Server
from saml2.xmldsig import DIGEST_SHA256, SIG_RSA_SHA256

ENTITY_ID = "https://idp.example.test/saml/metadata"
# Never visited: the test carries the request from the app's redirect to the provider itself.
SSO_URL = "http://localhost:9/saml/sso"


def xmlsec_binary() -> str | None:
    return shutil.which("xmlsec1")


def key_and_certificate(folder: Path) -> tuple[Path, Path, str]:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Test identity provider")])
    now = datetime.datetime.now(datetime.UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + datetime.timedelta(days=30))
        .sign(key, hashes.SHA256())
    )
    key_path, cert_path = folder / "idp.key", folder / "idp.crt"
    key_path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.TraditionalOpenSSL,
            serialization.NoEncryption(),
        )
    )
    pem = certificate.public_bytes(serialization.Encoding.PEM).decode()
    cert_path.write_text(pem)
    return key_path, cert_path, pem


@dataclass
class IdentityProvider:
    folder: Path
    certificate_pem: str = ""

    def __post_init__(self) -> None:
        self.key_path, self.cert_path, self.certificate_pem = key_and_certificate(self.folder)

    def server(self, sp_metadata: str) -> Server:
        config = IdPConfig()
        config.load(
            {
                "entityid": ENTITY_ID,
                "service": {
                    "idp": {
                        "endpoints": {"single_sign_on_service": [(SSO_URL, BINDING_HTTP_REDIRECT)]},
                        "policy": {
                            "default": {
                                "lifetime": {"minutes": 15},
                                "attribute_restrictions": None,
                                "name_form": NAME_FORMAT_URI,
                            }
                        },
                        "name_id_format": [NAMEID_FORMAT_EMAILADDRESS],
                    }
                },
                "key_file": str(self.key_path),
                "cert_file": str(self.cert_path),
                "metadata": {"inline": [sp_metadata]},
                "xmlsec_binary": xmlsec_binary(),
            }
        )
        return Server(config=config)

    def answer(
        self, *, sp_metadata: str, saml_request: str, email: str, given: str, family: str
    ) -> tuple[str, str]:
        """(the ACS address, the base64 SAMLResponse) for the person who signed in here."""
        server = self.server(sp_metadata)
        request = server.parse_authn_request(saml_request, BINDING_HTTP_REDIRECT)
        message = request.message
        acs = message.assertion_consumer_service_url
        response = server.create_authn_response(
            identity={"mail": [email], "givenName": [given], "sn": [family]},
            in_response_to=message.id,
            destination=acs,
            sp_entity_id=message.issuer.text,
            name_id=NameID(format=NAMEID_FORMAT_EMAILADDRESS, text=email),
            userid=email,
            authn={"class_ref": AUTHN_PASSWORD},
            sign_assertion=True,
            sign_response=True,
            sign_alg=SIG_RSA_SHA256,
            digest_alg=DIGEST_SHA256,
        )
        return acs, base64.b64encode(str(response).encode()).decode()
