"""A minimal writer of Caffe's ``NetParameter`` wire format, written
independently of the reader in ``chainvision.models.weights.caffemodel``
so that the tests check one against the other (field numbers from
``caffe.proto``)."""

import struct

import numpy


def _varint(value):
    out = bytearray()
    while True:
        byte, value = value & 0x7F, value >> 7
        out.append(byte | (0x80 if value else 0))
        if not value:
            return bytes(out)


def _field(number, payload):
    """A length-delimited field."""
    return _varint(number << 3 | 2) + _varint(len(payload)) + payload


def _int_field(number, value):
    return _varint(number << 3) + _varint(value)


def _blob(array, legacy_shape, packed):
    array = numpy.asarray(array, dtype='<f4')
    if legacy_shape:
        dims = (1,) * (4 - array.ndim) + array.shape
        head = b''.join(_int_field(n, d) for n, d in zip((1, 2, 3, 4), dims))
    else:
        head = _field(7, _field(1, b''.join(_varint(d) for d in array.shape)))
    if packed:
        data = _field(5, array.tobytes())
    else:
        data = b''.join(_varint(5 << 3 | 5) + struct.pack('<f', v) for v in array.ravel())
    return head + data


def caffemodel_bytes(layers, v1=False, packed=True):
    """Serialize ``layers`` (list of ``(name, type, [arrays])``) as a
    ``NetParameter``: ``layer`` (field 100) messages, or with ``v1`` the old
    ``layers`` (field 2) messages with 4-D ``num/channels/height/width``
    shapes, as VGG's file has."""
    out = [_field(1, b'test-net')]
    for name, kind, blobs in layers:
        blob_bytes = [_blob(b, legacy_shape=v1, packed=packed) for b in blobs]
        if v1:
            # V1LayerParameter: name 4, type 5 (an enum; 4 is CONVOLUTION), blobs 6.
            body = _field(4, name.encode()) + _int_field(5, 4)
            body += b''.join(_field(6, b) for b in blob_bytes)
            out.append(_field(2, body))
        else:
            body = _field(1, name.encode()) + _field(2, kind.encode())
            body += b''.join(_field(7, b) for b in blob_bytes)
            out.append(_field(100, body))
    return b''.join(out)


def write_caffemodel(path, layers, **kwargs):
    """Write :func:`caffemodel_bytes` to ``path``."""
    with open(path, 'wb') as stream:
        stream.write(caffemodel_bytes(layers, **kwargs))
