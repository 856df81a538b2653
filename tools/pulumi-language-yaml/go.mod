module pulumi-powerjob/tools/pulumi-language-yaml

go 1.25.11

require github.com/pulumi/pulumi-yaml v1.25.0
