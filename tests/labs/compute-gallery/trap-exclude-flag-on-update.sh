# expect: steps=gallery,definition,version-1,deploy-west,version-2,rollback traps=exclude-flag-on-update after=version-2
az sig image-version update -g rg-gallery -r webGallery -i ubuntu-web -e 2.0.0 --exclude-from-latest true
az sig image-version update -g rg-gallery -r webGallery -i ubuntu-web -e 2.0.0 --set publishingProfile.excludeFromLatest=true -o none
