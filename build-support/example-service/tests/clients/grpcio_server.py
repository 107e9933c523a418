"""A gRPC server nobody here wrote the stack of: Python grpcio serving shop.v1.CatalogService
from a descriptor set (no generated code), with grpcio-reflection (which speaks only
grpc.reflection.v1alpha), in plaintext and over TLS with a certificate from a CA it makes for itself.

Usage: grpcio_server.py DESCRIPTOR_SET CERT_DIR
Prints one JSON line, {"plain": PORT, "tls": PORT}, once both listen; writes the certificate
of the CA (PEM) that signed the TLS port's certificate to CERT_DIR/ca.pem. Runs until killed.
"""

import datetime
import ipaddress
import json
import sys
from concurrent import futures

import grpc
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID
from google.protobuf import descriptor_pb2, descriptor_pool, message_factory
from grpc_reflection.v1alpha import reflection

SERVICE = "shop.v1.CatalogService"


def load_pool(path):
    files = descriptor_pb2.FileDescriptorSet.FromString(open(path, "rb").read()).file
    pool = descriptor_pool.DescriptorPool()
    added, pending = set(), list(files)
    while pending:
        ready = [f for f in pending if all(d in added for d in f.dependency)]
        if not ready:
            raise SystemExit("imports missing from the set: %s" % [f.name for f in pending])
        for f in ready:
            pool.Add(f)
            added.add(f.name)
            pending.remove(f)
    return pool


def certificates(cert_dir):
    """A CA of its own (written to CERT_DIR/ca.pem) and the server's certificate it signs."""
    now = datetime.datetime.now(datetime.timezone.utc)

    def build(subject, issuer, public_key, signing_key, ca, names):
        builder = (
            x509.CertificateBuilder()
            .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, subject)]))
            .issuer_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, issuer)]))
            .public_key(public_key)
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - datetime.timedelta(minutes=5))
            .not_valid_after(now + datetime.timedelta(days=1))
            .add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True)
        )
        if names:
            builder = builder.add_extension(x509.SubjectAlternativeName(names), critical=False)
        return builder.sign(signing_key, hashes.SHA256())

    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca = build("test CA", "test CA", ca_key.public_key(), ca_key, True, None)
    key = ec.generate_private_key(ec.SECP256R1())
    names = [x509.DNSName("localhost"), x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]
    cert = build("localhost", "test CA", key.public_key(), ca_key, False, names)
    with open(cert_dir + "/ca.pem", "wb") as out:
        out.write(ca.public_bytes(serialization.Encoding.PEM))
    key_pem = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    return key_pem, cert.public_bytes(serialization.Encoding.PEM)


def main():
    set_path, cert_dir = sys.argv[1:]
    pool = load_pool(set_path)

    def message(name):
        return message_factory.GetMessageClass(pool.FindMessageTypeByName(name))

    product_type = message("shop.v1.Product")
    get_response = message("shop.v1.GetProductResponse")
    list_response = message("shop.v1.ListProductsResponse")
    empty = message("google.protobuf.Empty")
    watch_response = message("shop.v1.WatchPricesResponse")
    store = {}

    def get_product(request, context):
        if request.id not in store:
            context.abort(grpc.StatusCode.NOT_FOUND, "no product %s here" % request.id)
        return get_response(product=store[request.id])

    def list_products(request, context):
        for product in store.values():
            yield list_response(product=product)

    def batch_create(requests, context):
        batch = []
        for request in requests:
            product = product_type()
            product.CopyFrom(request.product)
            product.id = "py-%d" % (len(store) + len(batch) + 1)
            batch.append(product)
        for product in batch:
            store[product.id] = product
        return empty()

    def watch_prices(requests, context):
        for request in requests:
            yield watch_response(product_id=request.product_id, price_cents=request.price_cents * 2)

    def handler(kind, function, request_name, response_type):
        request_type = message(request_name)
        return kind(
            function,
            request_deserializer=request_type.FromString,
            response_serializer=response_type.SerializeToString,
        )

    handlers = {
        "GetProduct": handler(
            grpc.unary_unary_rpc_method_handler, get_product, "shop.v1.GetProductRequest", get_response
        ),
        "ListProducts": handler(
            grpc.unary_stream_rpc_method_handler,
            list_products,
            "shop.v1.ListProductsRequest",
            list_response,
        ),
        "BatchCreateProducts": handler(
            grpc.stream_unary_rpc_method_handler,
            batch_create,
            "shop.v1.BatchCreateProductsRequest",
            empty,
        ),
        "WatchPrices": handler(
            grpc.stream_stream_rpc_method_handler,
            watch_prices,
            "shop.v1.WatchPricesRequest",
            watch_response,
        ),
    }
    server = grpc.server(futures.ThreadPoolExecutor(max_workers=8))
    server.add_generic_rpc_handlers((grpc.method_handlers_generic_handler(SERVICE, handlers),))
    reflection.enable_server_reflection((SERVICE, reflection.SERVICE_NAME), server, pool=pool)
    plain = server.add_insecure_port("127.0.0.1:0")
    key_pem, cert_pem = certificates(cert_dir)
    tls = server.add_secure_port(
        "127.0.0.1:0", grpc.ssl_server_credentials([(key_pem, cert_pem)])
    )
    server.start()
    print(json.dumps({"plain": plain, "tls": tls}), flush=True)
    server.wait_for_termination()


if __name__ == "__main__":
    main()
