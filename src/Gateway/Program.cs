return await Csms.Gateway.CsmsGateway.RunAsync(args);
