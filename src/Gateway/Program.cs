Csms.Gateway.CsmsGateway.Build(args).Run();
