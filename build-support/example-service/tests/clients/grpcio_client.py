"""Calls the example service as a Python user would, knowing nothing but its address.

Everything comes from server reflection v1alpha (grpcio-reflection's client speaks no other), and
every request is gzip-compressed. Prints one JSON object of what it saw; tests/real_clients.rs
checks it. Usage: grpcio_client.py HOST:PORT
"""

import json
import sys

import grpc
from google.protobuf.descriptor_pool import DescriptorPool
from google.protobuf.json_format import MessageToDict
from google.protobuf.message_factory import GetMessageClass
from grpc_reflection.v1alpha.proto_reflection_descriptor_database import (
    ProtoReflectionDescriptorDatabase,
)

ADDRESS = sys.argv[1]
KEY = [("x-api-key", "admin-key")]
seen = {}

channel = grpc.insecure_channel(ADDRESS, compression=grpc.Compression.Gzip)
database = ProtoReflectionDescriptorDatabase(channel)
seen["services"] = sorted(database.get_services())
pool = DescriptorPool(database)

try:
    pool.FindServiceByName("shop.v1.NoSuchService")
    seen["unknown_service"] = "found"
except KeyError:
    seen["unknown_service"] = "not found"


def stub(service, method_name):
    """A callable for the method, with message classes built from the reflected descriptors."""
    service = pool.FindServiceByName(service)
    method = service.methods_by_name[method_name]
    request, response = GetMessageClass(method.input_type), GetMessageClass(method.output_type)
    kind = {
        (False, False): channel.unary_unary,
        (False, True): channel.unary_stream,
        (True, False): channel.stream_unary,
        (True, True): channel.stream_stream,
    }[(method.client_streaming, method.server_streaming)]
    call = kind(
        f"/{service.full_name}/{method.name}",
        request_serializer=request.SerializeToString,
        response_deserializer=response.FromString,
    )
    return call, request


def as_dict(message):
    return MessageToDict(message, preserving_proto_field_name=True)


# The reflection stream goes on after the unknown name: this needs it again.
create, CreateRequest = stub("shop.v1.CatalogService", "CreateProduct")
created = create(
    CreateRequest(product={"name": "lamp", "price_cents": 1999}), metadata=KEY, timeout=5
)
product_id = created.product.id
seen["unary"] = as_dict(created)

batch, BatchRequest = stub("shop.v1.CatalogService", "BatchCreateProducts")
batch(
    iter([BatchRequest(product={"name": f"chair {n}", "price_cents": 500 + n}) for n in range(3)]),
    metadata=KEY,
    timeout=5,
)
seen["client_streaming"] = "ok"

listing, ListRequest = stub("shop.v1.CatalogService", "ListProducts")
seen["server_streaming"] = sorted(
    response.product.name for response in listing(ListRequest(), timeout=5)
)

watch, WatchRequest = stub("shop.v1.CatalogService", "WatchPrices")
changes = [WatchRequest(product_id=product_id, price_cents=p) for p in (2100, 2200)]
seen["bidi"] = [as_dict(r) for r in watch(iter(changes), metadata=KEY, timeout=5)]

get, GetRequest = stub("shop.v1.CatalogService", "GetProduct")
try:
    get(GetRequest(id="p-none"), timeout=5)
    seen["not_found"] = "OK"
except grpc.RpcError as error:
    seen["not_found"] = error.code().name

unauthenticated, _ = stub("shop.v1.CatalogService", "CreateProduct")
try:
    unauthenticated(CreateRequest(product={"name": "x"}), timeout=5)
    seen["no_key"] = "OK"
except grpc.RpcError as error:
    seen["no_key"] = error.code().name

# The edition 2023 ledger, described and called the same way.
record, RecordRequest = stub("ledger.v1.LedgerService", "Record")
seen["editions"] = as_dict(
    record(RecordRequest(entry={"product_id": product_id, "delta": 5}), metadata=KEY, timeout=5)
)

# Health is described by reflection too.
check, CheckRequest = stub("grpc.health.v1.Health", "Check")
seen["health"] = as_dict(check(CheckRequest(service="shop.v1.CatalogService"), timeout=5))

print(json.dumps(seen))
