# expect: complete traps=delete-parent-first after=end-of-life
# The whole lab, but the pilot gallery is deleted top-down first.
az sig delete -g rg-gallery -r pilotGallery
az sig image-version delete -g rg-gallery -r pilotGallery -i web-pilot -e 0.9.0
az sig image-definition delete -g rg-gallery -r pilotGallery -i web-pilot
az sig delete -g rg-gallery -r pilotGallery
