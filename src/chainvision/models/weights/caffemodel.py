"""Reading the parameter blobs out of a Caffe ``.caffemodel`` file, with no
dependency on Caffe or protobuf, and Caffe's BatchNorm statistics.

A ``.caffemodel`` is a serialized ``caffe.NetParameter`` protocol buffer.
Only the fields that carry weights are decoded (field numbers from
``caffe.proto``); everything else is skipped by its wire type:

- ``NetParameter``: ``layer = 100`` (``LayerParameter``, current format) and
  ``layers = 2`` (``V1LayerParameter``, the format of older files such as
  VGG's).
- ``LayerParameter``: ``name = 1``, ``blobs = 7``;
  ``V1LayerParameter``: ``name = 4``, ``blobs = 6``.
- ``BlobProto``: ``shape = 7`` (``BlobShape``: ``dim = 1``, int64),
  ``data = 5`` (float), ``double_data = 8``, and the legacy 4-D shape
  ``num = 1``, ``channels = 2``, ``height = 3``, ``width = 4``.
"""

import collections

import numpy

from chainvision.serializers import UnreadableFileError

# Protocol buffer wire types.
_VARINT, _FIXED64, _LENGTH_DELIMITED, _FIXED32 = 0, 1, 2, 5

# NetParameter field -> (LayerParameter name field, blobs field).
_LAYER_FIELDS = {100: (1, 7), 2: (4, 6)}
_V0_LAYER_FIELD = 1  # V1LayerParameter.layer: the pre-2014 V0 format.


def _varint(buffer, pos):
    result = shift = 0
    while True:
        byte = buffer[pos]
        pos += 1
        result |= (byte & 0x7F) << shift
        if byte < 0x80:
            return result, pos
        shift += 7


def _fields(buffer, start, end):
    """Yield ``(field number, wire type, value)`` of the message in
    ``buffer[start:end]``; a length-delimited value is its ``(start, end)``."""
    pos = start
    while pos < end:
        key, pos = _varint(buffer, pos)
        number, wire_type = key >> 3, key & 7
        if wire_type == _VARINT:
            value, pos = _varint(buffer, pos)
        elif wire_type == _LENGTH_DELIMITED:
            length, pos = _varint(buffer, pos)
            value, pos = (pos, pos + length), pos + length
        elif wire_type == _FIXED32:
            value, pos = (pos, pos + 4), pos + 4
        elif wire_type == _FIXED64:
            value, pos = (pos, pos + 8), pos + 8
        else:
            raise ValueError('Not a caffemodel: unsupported protobuf wire type {} at byte '
                             '{}.'.format(wire_type, pos))
        if pos > end:
            raise ValueError('Not a caffemodel, or a truncated one: a field runs past the end '
                             'of its message (byte {}).'.format(pos))
        yield number, wire_type, value


def _repeated(buffer, wire_type, value, dtype, scalar_wire_type):
    # A repeated number is stored packed (one length-delimited run) or one
    # element per field occurrence.
    start, end = value
    if wire_type == _LENGTH_DELIMITED:
        return numpy.frombuffer(buffer, dtype=dtype, count=(end - start) // dtype.itemsize,
                                offset=start)
    if wire_type == scalar_wire_type:
        return numpy.frombuffer(buffer, dtype=dtype, count=1, offset=start)
    raise ValueError('Not a caffemodel: unexpected wire type {} for blob data.'.format(wire_type))


def _blob_shape(buffer, start, end):
    dims = []
    for number, wire_type, value in _fields(buffer, start, end):
        if number != 1:
            continue
        if wire_type == _VARINT:
            dims.append(value)
        else:
            pos, stop = value
            while pos < stop:
                dim, pos = _varint(buffer, pos)
                dims.append(dim)
    return tuple(dims)


def _blob(buffer, start, end):
    """Decode a ``BlobProto`` into a float32 array of its shape."""
    shape, legacy, chunks = None, {}, []
    for number, wire_type, value in _fields(buffer, start, end):
        if number == 7:
            shape = _blob_shape(buffer, *value)
        elif number == 5:
            chunks.append(_repeated(buffer, wire_type, value, numpy.dtype('<f4'), _FIXED32))
        elif number == 8:
            chunks.append(_repeated(buffer, wire_type, value, numpy.dtype('<f8'), _FIXED64))
        elif number in (1, 2, 3, 4) and wire_type == _VARINT:
            legacy[number] = value
    if shape is None:
        shape = tuple(legacy.get(number, 0) for number in (1, 2, 3, 4))
    data = numpy.concatenate(chunks).astype(numpy.float32) if chunks else numpy.zeros(0, 'f')
    if data.size != int(numpy.prod(shape)):
        raise ValueError('Corrupt caffemodel: a blob of shape {} holds {} values.'.format(
            shape, data.size))
    return data.reshape(shape)


def _layer(buffer, start, end, name_field, blobs_field):
    name, blobs = None, []
    for number, _, value in _fields(buffer, start, end):
        if number == name_field:
            name = bytes(buffer[value[0]:value[1]]).decode('utf-8')
        elif number == blobs_field:
            blobs.append(_blob(buffer, *value))
        elif name_field == 4 and number == _V0_LAYER_FIELD:
            raise ValueError('This caffemodel uses the V0 layer format (before 2014), which is '
                             "not supported; upgrade it with Caffe's upgrade_net_proto_binary.")
    return name, blobs


def read_caffemodel(path):
    """Read the parameter blobs of every layer in the ``.caffemodel`` file
    ``path``.

    Returns:
        collections.OrderedDict: layer name -> list of float32 arrays (the
        layer's blobs in file order, each of the shape stored in the file;
        old files store 4-D ``(num, channels, height, width)`` shapes).
        Layers without parameters map to an empty list.

    Raises:
        chainvision.serializers.UnreadableFileError: (a ``ValueError``)
            the file is not a caffemodel this reader understands, or is
            truncated; the message names it.
    """
    with open(path, 'rb') as stream:
        buffer = stream.read()
    layers = collections.OrderedDict()
    try:
        for number, wire_type, value in _fields(buffer, 0, len(buffer)):
            if number in _LAYER_FIELDS and wire_type == _LENGTH_DELIMITED:
                name, blobs = _layer(buffer, *value, *_LAYER_FIELDS[number])
                layers[name] = blobs
    except ValueError as error:
        raise UnreadableFileError(path, 'cannot be read: {}'.format(error)) from error
    if not layers:
        raise UnreadableFileError(path, 'holds no Caffe layers: is it a .caffemodel file?')
    return layers


def caffe_batch_norm(blobs):
    """``(mean, var)`` of a Caffe ``BatchNorm`` layer's blobs ``[mean_sum,
    var_sum, scale_factor]``: the sums divided by the factor (0 when the
    factor is 0, as Caffe does)."""
    factor = float(blobs[2].ravel()[0]) if len(blobs) > 2 else 1.0
    scale = 0.0 if factor == 0 else 1.0 / factor
    return blobs[0].ravel() * scale, blobs[1].ravel() * scale
