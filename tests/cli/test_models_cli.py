"""``chainvision models`` and ``chainvision summary``."""


from chainvision import models
from chainvision.cli.main import main


def _run(capsys, *argv):
    status = main(list(argv))
    out, err = capsys.readouterr()
    return status, out, err


def test_models_lists_every_model_with_size_cost_input_and_reference(capsys):
    status, out, _ = _run(capsys, 'models')
    assert status == 0
    lines = {line.split()[0]: line for line in out.splitlines()[2:] if line.strip()}
    for name in models.names():
        info = models.info(name)
        assert '{:,}'.format(info.params) in lines[name]
        assert 'x'.join(map(str, info.input_size)) in lines[name]
        assert info.reference in lines[name]
    assert lines['resnet50'].split()[1:3] == ['25,557,032', '4.09G']
    assert lines['vgg16'].split()[1:3] == ['138,357,544', '15.47G']
    assert lines['resnet20'].split()[1:3] == ['269,722', '40.55M']
    # The published weights' tags, the default ('auto') first.
    assert lines['resnet50'].split()[4:8] == ['tv_in1k', 'a1_in1k', 'caffe_in1k', 'tv2_in1k']
    assert lines['resnet20'].split()[4] == '-'
    assert "--pretrained auto takes the first" in out


def test_models_filters_by_pattern(capsys):
    status, out, _ = _run(capsys, 'models', 'densenet*', 'lenet5')
    names = [line.split()[0] for line in out.splitlines()[2:] if line.strip()][:4]
    assert status == 0
    assert names == ['densenet121', 'densenet_bc', 'densenet_cifar', 'lenet5']


def test_models_says_so_when_nothing_matches(capsys):
    status, out, _ = _run(capsys, 'models', 'transformer*')
    assert status == 1
    assert 'No model matches transformer*' in out


def test_summary_prints_each_layer_and_the_totals(capsys):
    status, out, _ = _run(capsys, 'summary', 'lenet5')
    assert status == 0
    lines = out.splitlines()
    assert lines[0] == 'lenet5 (LeNet5), input 1x28x28'
    assert lines[2].split() == ['layer', 'type', 'output', 'params', 'MACs']
    assert [line.split() for line in lines[4:9]] == [
        ['/conv1', 'Convolution2D', '6x24x24', '156', '86.40K'],
        ['/conv2', 'Convolution2D', '16x8x8', '2,416', '153.60K'],
        ['/conv3', 'Convolution2D', '120x1x1', '30,840', '30.72K'],
        ['/fc4', 'Linear', '84', '10,164', '10.08K'],
        ['/fc5', 'Linear', '10', '850', '840'],
    ]
    assert 'Total parameters:     44,426' in out
    assert 'Total MACs:           281.64K (281,640) per image' in out


def test_summary_input_and_num_classes_change_the_model(capsys):
    status, out, _ = _run(capsys, 'summary', 'resnet20', '--input', '1x64x64',
                          '--num-classes', '100')
    assert status == 0
    rows = {line.split()[0]: line.split() for line in out.splitlines() if line.startswith('/')}
    assert rows['/conv1'][2:4] == ['16x64x64', '144']
    assert rows['/stage3/2/conv2'][2] == '64x16x16'
    assert rows['/fc'][2:4] == ['100', '6,500']


def test_summary_of_an_unknown_model_suggests_close_names(capsys):
    status, _, err = _run(capsys, 'summary', 'resnet2O')
    assert status == 2
    assert "chainvision: error: Unknown model 'resnet2O'; did you mean: resnet20" in err


def test_summary_reports_an_input_the_model_cannot_take(capsys):
    status, _, err = _run(capsys, 'summary', 'vgg16', '--input', '3x32x32')
    assert status == 2
    assert 'This VGG takes 224x224 images' in err


def test_summary_rejects_a_malformed_input_size(capsys):
    assert main(['summary', 'lenet5', '--input', '28x28']) == 2
    assert capsys.readouterr().err == (
        "chainvision: error: argument --input: expected CHANNELSxHEIGHTxWIDTH such as 3x32x32, "
        "got '28x28'; see chainvision summary --help\n")
